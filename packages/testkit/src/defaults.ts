/**
 * The topology the testkit starts when no option says otherwise. docker-compose.yml describes the
 * same deployment, and a test keeps the two in step.
 */
export const TOPOLOGY_DEFAULTS = {
  masterName: 'mymaster',
  replicas: 2,
  sentinels: 3,
  /** Sentinels that must agree the master is down: a majority of `sentinels`. */
  quorum: 2,
  /** Sentinel `down-after-milliseconds`, in milliseconds. */
  downAfterMs: 1000,
  /** Sentinel `failover-timeout`, in milliseconds. */
  failoverTimeoutMs: 10_000,
  /** The master's `min-replicas-to-write`; 0 = off. */
  minReplicasToWrite: 0,
} as const;
