/** Errors from asking a Redis Cluster's nodes directly: none answered, a failover refused. */
import { addr, type ErrorContext, type NodeAddress, reasonOf, SentinelKitError, scrubError } from './base.js';

/** One cluster node's failure inside a summary error: which node, and why. */
export interface ClusterNodeAttempt {
  node: NodeAddress;
  cause: Error;
}

/**
 * No node of the cluster answered `CLUSTER NODES`. Thrown only when every node listed in the
 * location failed, each after at most `timeoutMs` milliseconds.
 */
export class ClusterUnreachableError extends SentinelKitError<'ERR_CLUSTER_UNREACHABLE'> {
  static readonly code = 'ERR_CLUSTER_UNREACHABLE';
  override name = 'ClusterUnreachableError';
  readonly attempts: ClusterNodeAttempt[];
  constructor(attempts: ClusterNodeAttempt[], options: ErrorContext & { timeoutMs?: number } = {}) {
    const problem = 'No node of the cluster answered';
    const detail = attempts.map((a) => `${addr(a.node)}: ${reasonOf(a.cause)}`).join('; ');
    const now = options.timeoutMs === undefined ? '' : ` (now ${options.timeoutMs} ms)`;
    const fix = `Check the node list in the location string, and raise "timeoutMs"${now} if the nodes are slow to answer`;
    super(
      'ERR_CLUSTER_UNREACHABLE',
      { problem, detail, fix },
      { alias: options.alias, cause: attempts.at(-1)?.cause },
    );
    this.attempts = attempts.map(({ node, cause }) => ({ node, cause: scrubError(cause) }));
  }
}

/**
 * A cluster master could not be failed over: it has no replica to promote, or the replica refused
 * `CLUSTER FAILOVER` and said why.
 */
export class ClusterFailoverRefusedError extends SentinelKitError<'ERR_CLUSTER_FAILOVER_REFUSED'> {
  static readonly code = 'ERR_CLUSTER_FAILOVER_REFUSED';
  override name = 'ClusterFailoverRefusedError';
  readonly master: NodeAddress;
  readonly replica: NodeAddress | undefined;
  constructor(master: NodeAddress, replica: NodeAddress | undefined, context: ErrorContext = {}) {
    const problem =
      replica === undefined
        ? `The master ${addr(master)} cannot be failed over`
        : `The replica ${addr(replica)} refused to fail over the master ${addr(master)}`;
    const detail =
      replica === undefined
        ? 'it has no replica that is up'
        : context.cause === undefined
          ? 'no reason given'
          : reasonOf(context.cause);
    super('ERR_CLUSTER_FAILOVER_REFUSED', { problem, detail }, context);
    this.master = master;
    this.replica = replica;
  }
}
