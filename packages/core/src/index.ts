export {
  Connector,
  type ConnectorEvents,
  createConnector,
  type FailoverEvent,
  type ReplicasChangedEvent,
} from './connector.js';
export { connectorKey } from './connector-key.js';
export type { ConnectorLogger, ConnectorOptions, ReadFrom } from './connector-options.js';
export {
  AllSentinelsUnreachableError,
  AuthenticationError,
  FailoverRefusedError,
  InvalidLocationError,
  type NodeAddress,
  NodeUnavailableError,
  NoReplicasError,
  NotSentinelLocationError,
  ReadOnlyNodeError,
  type SentinelAttempt,
  SentinelKitError,
  UnknownMasterError,
} from './errors.js';
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
