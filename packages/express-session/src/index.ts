export { InvalidSessionStoreOptionError, SessionDurabilityError, SessionStoreError } from './errors.js';
export {
  type IoredisLike,
  type NodeRedisClientLike,
  NodeRedisShim,
  type NodeRedisShimOptions,
  type ScanIteratorOptions,
  type SetExpiration,
  type SetOptions,
} from './node-redis-shim.js';
export { SentinelSessionStore } from './session-store.js';
export type {
  SentinelSessionStoreOptions,
  SessionCache,
  SessionCaches,
  SessionDurability,
  SessionSerializer,
  SessionStoreCacheOptions,
  SessionStoreCachesOptions,
  SessionStoreLogger,
} from './types.js';
