export { type CreateKeyvOptions, createKeyv } from './create-keyv.js';
export { InvalidTtlError, KeyvSerializedValueError } from './errors.js';
export { KeyvSentinelStore } from './keyv-sentinel-store.js';
export type {
  KeyvSentinelStoreCacheOptions,
  KeyvSentinelStoreCachesOptions,
  KeyvSentinelStoreOptions,
  KeyvValueFormat,
} from './keyv-sentinel-store.types.js';
export { timeoutToTtl, ttlToTimeout } from './ttl.js';
