export { Cache, type CacheConnection, type CacheSettings, DEFAULT_TIMEOUT } from './cache.js';
export type {
  CacheConfig,
  CacheOptions,
  Compressor,
  KeyFunction,
  Serializer,
  VersionOpts,
} from './cache-config.js';
export { type Caches, connectorOptionsOf, createCache, createCaches, getRedisConnection } from './caches.js';
export {
  brotliCompressor,
  gzipCompressor,
  noneCompressor,
  zlibCompressor,
  zstdAvailable,
  zstdCompressor,
} from './compressors/index.js';
export {
  Connector,
  type ConnectorEvents,
  createConnector,
  type FailoverEvent,
  type ReplicasChangedEvent,
} from './connector.js';
export { connectorKey } from './connector-key.js';
export type { ConnectorLogger, ConnectorOptions, ReadFrom } from './connector-options.js';
export { cachesFromEnv } from './env.js';
export {
  AllSentinelsUnreachableError,
  AuthenticationError,
  CacheCommandError,
  CacheConnectionError,
  CompressorUnavailableError,
  DeserializationError,
  FailoverRefusedError,
  InvalidCacheArgumentError,
  InvalidCacheConfigError,
  InvalidEnvError,
  InvalidLocationError,
  KeyNotFoundError,
  LockNotOwnedError,
  LockTimeoutError,
  MasterDemotedError,
  type NodeAddress,
  NodeUnavailableError,
  NoReplicasError,
  NotSentinelLocationError,
  ReadOnlyNodeError,
  type SentinelAttempt,
  SentinelKitError,
  SerializationError,
  UnknownCacheAliasError,
  UnknownMasterError,
  ValueNotIntegerError,
} from './errors.js';
export { defaultKeyFunction, defaultReverseKeyFunction } from './key-function.js';
export {
  DEFAULT_REDIS_PORT,
  DEFAULT_SENTINEL_PORT,
  type FormatLocationOptions,
  formatLocation,
  type HostPort,
  type Location,
  type LocationPart,
  maskLocation,
  parseLocation,
} from './location.js';
export { Lock, type LockOptions } from './lock.js';
export { type NodeRole, type ProbeRoleOptions, parseRole, probeRole } from './node-role.js';
export {
  type QuorumCheck,
  SentinelAdmin,
  type SentinelAdminOptions,
  type SentinelSubscription,
} from './sentinel-admin.js';
export { parseSentinelEvent, type SentinelEvent, type SentinelEventInstance } from './sentinel-events.js';
export type {
  SentinelInstanceInfo,
  SentinelMasterInfo,
  SentinelPeerInfo,
  SentinelReplicaInfo,
} from './sentinel-replies.js';
export { jsonSerializer, msgpackSerializer } from './serializers/index.js';
