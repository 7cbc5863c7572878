export { CachesService, type RedisClient } from './caches.service.js';
export { createCacheManager } from './create-cache-manager.js';
export { type CreateKeyvOptions, createKeyv } from './create-keyv.js';
export { InjectedCacheAliasError, InvalidTtlError, KeyvSerializedValueError } from './errors.js';
export { InjectCache, InjectCacheManager, InjectRedis } from './inject.decorators.js';
export { KeyvSentinelStore } from './keyv-sentinel-store.js';
export type {
  KeyvSentinelStoreCacheOptions,
  KeyvSentinelStoreCachesOptions,
  KeyvSentinelStoreOptions,
  KeyvValueFormat,
} from './keyv-sentinel-store.types.js';
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
export { timeoutToTtl, ttlToTimeout } from './ttl.js';
