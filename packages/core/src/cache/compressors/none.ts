import type { Compressor } from '../cache-config.js';

/** No compression: django-redis's `IdentityCompressor`. */
export const noneCompressor: Compressor = {
  name: 'none',
  compress: (bytes) => bytes,
  decompress: () => undefined,
};
