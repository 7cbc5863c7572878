export {
  AllSentinelsUnreachableError,
  AuthenticationError,
  FailoverRefusedError,
  InvalidLocationError,
  type NodeAddress,
  type SentinelAttempt,
  SentinelKitError,
  UnknownMasterError,
} from './errors.js';
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
