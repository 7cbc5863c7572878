// The Keyv store lives in @sentinel-kit/keyv (no Nest needed); re-exported so Nest users import one package.
export {
  type CreateKeyvOptions,
  createKeyv,
  InvalidTtlError,
  KeyvSentinelStore,
  type KeyvSentinelStoreCacheOptions,
  type KeyvSentinelStoreCachesOptions,
  type KeyvSentinelStoreOptions,
  KeyvSerializedValueError,
  type KeyvValueFormat,
  timeoutToTtl,
  ttlToTimeout,
} from '@sentinel-kit/keyv';
export { CachesService, type RedisClient } from './caches.service.js';
export { createCacheManager } from './create-cache-manager.js';
export { InjectedCacheAliasError } from './errors.js';
export { InjectCache, InjectCacheManager, InjectRedis } from './inject.decorators.js';
export {
  DEFAULT_CACHE_ALIAS,
  getCacheManagerToken,
  getCacheToken,
  getRedisToken,
  SENTINEL_CACHES,
} from './sentinel-cache.constants.js';
export { SentinelCacheModule } from './sentinel-cache.module.js';
export { SENTINEL_CACHE_MODULE_OPTIONS } from './sentinel-cache.module-definition.js';
export type {
  SentinelCacheModuleExtras,
  SentinelCacheModuleOptions,
} from './sentinel-cache-module.options.js';
export {
  type SentinelHealthDetails,
  SentinelHealthIndicator,
  type SentinelHealthOptions,
  type SentinelHealthResult,
} from './sentinel-health.indicator.js';
