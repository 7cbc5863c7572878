/** Django's default key function: `${keyPrefix}:${version}:${key}`. */
export function defaultKeyFunction(key: string, keyPrefix: string, version: number): string {
  return `${keyPrefix}:${version}:${key}`;
}

/**
 * The reverse of `defaultKeyFunction` for one version: the user's key, or `undefined` when the Redis
 * key is not in that namespace. django-redis's default (`key.split(':', 2)[2]`) breaks on a prefix
 * that itself holds a colon (`dj:bi`); stripping the exact namespace does not.
 */
export function defaultReverseKeyFunction(
  redisKey: string,
  keyPrefix: string,
  version: number,
): string | undefined {
  const namespace = `${keyPrefix}:${version}:`;
  return redisKey.startsWith(namespace) ? redisKey.slice(namespace.length) : undefined;
}

/**
 * True when a Redis key belongs to some version of the default layout under `keyPrefix`: the
 * namespace is `prefix:<integer>:`, so prefix `dj` does not claim `dj:bi:1:code`.
 */
export function isOwnKey(redisKey: string, keyPrefix: string): boolean {
  if (!redisKey.startsWith(`${keyPrefix}:`)) return false;
  return /^-?\d+:/.test(redisKey.slice(keyPrefix.length + 1));
}
