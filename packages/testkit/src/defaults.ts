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
  /**
   * Sentinel `failover-timeout`, in milliseconds. A sentinel retries a failover that aborted (an
   * election that split, no replica fit to promote) only after twice this: 10 s here, so a retried
   * failover still lands within a test's 30 s wait for the switch (20 s to the retry did not).
   */
  failoverTimeoutMs: 5000,
  /** The master's `min-replicas-to-write`; 0 = off. */
  minReplicasToWrite: 0,
} as const;
