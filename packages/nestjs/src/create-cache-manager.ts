import type { Cache } from '@sentinel-kit/core';
import { createKeyv, type KeyvSentinelStoreCacheOptions, timeoutToTtl } from '@sentinel-kit/keyv';
import { type Cache as CacheManager, createCache } from 'cache-manager';

/**
 * A cache-manager 7 instance over one `Cache`, through a Keyv in `'django'` value format: what
 * `cacheManager.set('k', v)` writes is exactly what `cache.set('k', v)` writes. Its default ttl is
 * the cache's Django `timeout` in milliseconds, so a `set` without a ttl lives as long through
 * either API; an explicit ttl of `0` means forever, as cache-manager documents.
 */
export function createCacheManager(
  cache: Cache,
  storeOptions: Pick<KeyvSentinelStoreCacheOptions, 'batchReads' | 'maxReadBatch'> = {},
): CacheManager {
  const ttl = timeoutToTtl(cache.defaultTimeout);
  return createCache({
    stores: [createKeyv({ ...storeOptions, cache })],
    ...(ttl === undefined ? {} : { ttl }),
  });
}
