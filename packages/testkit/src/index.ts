export {
  CLUSTER_DEFAULTS,
  Cluster,
  type ClusterOptions,
  type Promotion,
  startCluster,
} from './cluster.js';
export { type ClusterNodeEntry, parseClusterNodes } from './cluster-nodes.js';
export { TOPOLOGY_DEFAULTS } from './defaults.js';
export { PollAbort, type PollOptions, pollUntil } from './poll.js';
export { freePorts } from './ports.js';
export { RedisNode, redisServerBin, type ServerBinary, serverBinary } from './redis-node.js';
export type { SentinelEvent, SwitchEvent } from './sentinel-event-log.js';
export { type Standalone, type StandaloneOptions, startStandalone } from './standalone.js';
export { createTlsFiles, type TlsFiles, type TlsFilesOptions } from './tls.js';
export { startTopology, Topology, type TopologyOptions } from './topology.js';
