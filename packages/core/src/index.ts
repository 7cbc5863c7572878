export { Cache, type CacheConnection, type CacheSettings } from './cache/cache.js';
export type { CacheClient } from './cache/cache-client.js';
export type {
  CacheConfig,
  CacheOptions,
  Compressor,
  GetOrSetLockOptions,
  GetOrSetOptions,
  KeyFunction,
  NearCacheOptions,
  Serializer,
  VersionOpts,
} from './cache/cache-config.js';
export {
  brotliCompressor,
  gzipCompressor,
  noneCompressor,
  zlibCompressor,
  zstdAvailable,
  zstdCompressor,
} from './cache/compressors/index.js';
export { cachesFromEnv } from './cache/env.js';
export type { GetOrSetCallOptions, Producer } from './cache/get-or-set.js';
export { defaultKeyFunction, defaultReverseKeyFunction } from './cache/key-function.js';
export { Lock, type LockOptions } from './cache/lock.js';
export type { NearCacheStats } from './cache/near-cache/near-cache.js';
export { DEFAULT_READ_YOUR_WRITES_MS } from './cache/read-your-writes.js';
export {
  type AnyConnector,
  type Caches,
  connectorOptionsOf,
  createCache,
  createCaches,
  getRedisConnection,
} from './cache/registry.js';
export { jsonSerializer, msgpackSerializer } from './cache/serializers/index.js';
export { DEFAULT_TIMEOUT } from './cache/timeout.js';
export {
  ClusterAdmin,
  type ClusterAdminOptions,
  type ClusterFailoverMode,
  type ClusterView,
} from './cluster/cluster-admin.js';
export {
  type ClusterLayout,
  type ClusterShard,
  clusterLayout,
  uncoveredSlots,
} from './cluster/cluster-layout.js';
export {
  type ClusterNode,
  formatSlots,
  isFailing,
  isMaster,
  parseClusterNodes,
  type SlotRange,
  slotCount,
} from './cluster/cluster-nodes.js';
export {
  ClusterConnector,
  type ClusterConnectorEvents,
  type ClusterFailoverEvent,
  createClusterConnector,
} from './connector/cluster-connector.js';
export {
  type CompanionOptions,
  Connector,
  type ConnectorEvents,
  createConnector,
  type FailoverEvent,
  type MasterCompanion,
  type ReplicasChangedEvent,
} from './connector/connector.js';
export { connectorKey } from './connector/connector-key.js';
export type { ConnectorLogger, ConnectorOptions, ReadFrom } from './connector/connector-options.js';
export {
  AllSentinelsUnreachableError,
  AuthenticationError,
  CacheCommandError,
  CacheConnectionError,
  ClosedError,
  ClusterFailoverRefusedError,
  type ClusterNodeAttempt,
  ClusterUnreachableError,
  CompressorUnavailableError,
  DeserializationError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorContext,
  type ErrorParts,
  FailoverRefusedError,
  GetOrSetLockError,
  InvalidCacheArgumentError,
  InvalidCacheConfigError,
  InvalidEnvError,
  InvalidLocationError,
  isSentinelKitError,
  KeyNotFoundError,
  LockNotOwnedError,
  LockTimeoutError,
  MasterDemotedError,
  type NodeAddress,
  NodeConnectionError,
  NodeUnavailableError,
  NoReplicasError,
  NoSentinelsError,
  NotSentinelLocationError,
  OutcomeUnknownError,
  type OutcomeUnknownReason,
  ReadOnlyNodeError,
  type SentinelAttempt,
  SentinelKitError,
  SerializationError,
  TlsError,
  UnknownCacheAliasError,
  UnknownMasterError,
  UnsupportedLocationError,
  ValueNotIntegerError,
} from './errors.js';
export {
  DEFAULT_REDIS_PORT,
  DEFAULT_SENTINEL_PORT,
  type FormatLocationOptions,
  formatLocation,
  type HostPort,
  type Location,
  type LocationKind,
  type LocationPart,
  maskLocation,
  parseLocation,
} from './location/location.js';
export { type NodeRole, type ProbeRoleOptions, parseRole, probeRole } from './sentinel/role-probe.js';
export {
  type QuorumCheck,
  SentinelAdmin,
  type SentinelAdminOptions,
  type SentinelSubscription,
} from './sentinel/sentinel-admin.js';
export {
  parseSentinelEvent,
  type SentinelEvent,
  type SentinelEventInstance,
} from './sentinel/sentinel-events.js';
export type {
  SentinelInstanceInfo,
  SentinelMasterInfo,
  SentinelPeerInfo,
  SentinelReplicaInfo,
} from './sentinel/sentinel-replies.js';
export { BurstLog, type BurstLogger } from './shared/burst-log.js';
export { escapeGlob } from './shared/glob-escape.js';
export { groupBySlot, keySlot, SLOTS as CLUSTER_SLOTS } from './shared/key-slot.js';
export { type BatchEntry, TickBatcher, type TickBatcherOptions } from './shared/tick-batcher.js';
export { configureTelemetry, type TelemetryOptions } from './telemetry/telemetry-options.js';
