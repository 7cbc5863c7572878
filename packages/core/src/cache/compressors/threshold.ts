/** django-redis's `min_length`: values of at most this many bytes are stored uncompressed. */
export const DEFAULT_COMPRESS_MIN_LENGTH = 15;

/**
 * Tries to unpack `bytes` as a container, or `undefined` when they are not one: django-redis
 * stores short values plain and tells them apart on read by a failed decompression.
 */
export function attempt(unpack: () => Buffer): Buffer | undefined {
  try {
    return unpack();
  } catch {
    return undefined;
  }
}
