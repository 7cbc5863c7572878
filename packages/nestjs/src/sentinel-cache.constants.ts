/**
 * Injection tokens. Each is a namespaced string so that two copies of this package (or a test
 * module and an app module) agree on them, the way @nestjs/bull names queues `BullQueue_<name>`.
 */

/** The caches registry (`createCaches` result) the module serves. */
export const SENTINEL_CACHES = 'sentinel-kit:caches';

/** The alias whose cache also backs @nestjs/cache-manager's `CACHE_MANAGER`, as in Django. */
export const DEFAULT_CACHE_ALIAS = 'default';

/** Token of the django-style `Cache` for `alias`, as injected by `@InjectCache(alias)`. */
export function getCacheToken(alias: string = DEFAULT_CACHE_ALIAS): string {
  return `sentinel-kit:cache:${alias}`;
}

/** Token of the cache-manager instance for `alias`, as injected by `@InjectCacheManager(alias)`. */
export function getCacheManagerToken(alias: string = DEFAULT_CACHE_ALIAS): string {
  return `sentinel-kit:cache-manager:${alias}`;
}

/**
 * Token of the raw ioredis client for `alias`, as injected by `@InjectRedis(alias, { write })`.
 * `write` defaults to true, like django-redis's `get_redis_connection(alias, write=True)`.
 */
export function getRedisToken(
  alias: string = DEFAULT_CACHE_ALIAS,
  options: { write?: boolean } = {},
): string {
  return `sentinel-kit:redis:${alias}:${options.write === false ? 'read' : 'write'}`;
}
