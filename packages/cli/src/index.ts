export { type CliArgs, type CommandName, parseCliArgs, USAGE } from './args.js';
export { check } from './check.js';
export type {
  ClusterMasterReport,
  ClusterNodeReport,
  ClusterReplicaReport,
  ClusterReport,
} from './cluster-report.js';
export {
  type ClusterChange,
  type ClusterChangeType,
  type ClusterFailoverPhase,
  type ClusterFailoverSummary,
  ClusterTimeline,
} from './cluster-timeline.js';
export { failover } from './failover.js';
export { type FailoverPhase, type FailoverSummary, FailoverTimeline } from './failover-timeline.js';
export type { CliIO, Output } from './io.js';
export { collectReport, findProblems, type TopologyReport } from './report.js';
export { EXIT_USAGE, run } from './run.js';
export { status } from './status.js';
export { UsageError } from './usage-error.js';
export { DEDUP_WINDOW_MS, watch } from './watch.js';
