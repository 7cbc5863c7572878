import type { RedisNode } from './redis-node.js';
import type { TlsFiles } from './tls.js';

interface DataNodeConfig {
  node: RedisNode;
  password: string | undefined;
  replicaOf: RedisNode | undefined;
  minReplicasToWrite: number;
  /** TLS only: the node listens on `tls-port` alone and replicates over TLS. */
  tls?: TlsFiles | undefined;
}

const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/**
 * The listening lines: a plain `port`, or for TLS `port 0` (no plain listener at all) and the node's
 * port as `tls-port`. `tls-replication yes` makes every connection the server opens itself TLS too:
 * a replica's link to its master, and a sentinel's links to data nodes and to other sentinels (which
 * is also what makes a sentinel announce its `tls-port` to its peers).
 */
function listenLines(node: RedisNode, tls: TlsFiles | undefined): string[] {
  if (tls === undefined) return [`port ${node.port}`];
  return [
    'port 0',
    `tls-port ${node.port}`,
    `tls-cert-file ${quote(tls.certFile)}`,
    `tls-key-file ${quote(tls.keyFile)}`,
    `tls-ca-cert-file ${quote(tls.caFile)}`,
    // Clients present no certificate; they verify the server's against the CA.
    'tls-auth-clients no',
    'tls-replication yes',
  ];
}

/** redis.conf for a master or replica: loopback only, no persistence, instant diskless sync. */
export function dataNodeConfig({
  node,
  password,
  replicaOf,
  minReplicasToWrite,
  tls,
}: DataNodeConfig): string {
  const lines = [
    ...listenLines(node, tls),
    `bind ${node.host}`,
    `dir ${quote(node.dir)}`,
    `logfile ${quote(node.logFile)}`,
    'daemonize no',
    'save ""',
    'appendonly no',
    'repl-diskless-sync yes',
    // Replicas link up at once instead of after the default 5 s collection window.
    'repl-diskless-sync-delay 0',
    'repl-diskless-load disabled',
    'enable-debug-command local',
  ];
  if (password !== undefined) lines.push(`requirepass ${quote(password)}`, `masterauth ${quote(password)}`);
  if (replicaOf) lines.push(`replicaof ${replicaOf.host} ${replicaOf.port}`);
  if (minReplicasToWrite > 0)
    lines.push(`min-replicas-to-write ${minReplicasToWrite}`, 'min-replicas-max-lag 10');
  return `${lines.join('\n')}\n`;
}

interface ClusterNodeConfig {
  node: RedisNode;
  /** The cluster bus port: given apart, since the data port + 10000 may be past 65535 or taken. */
  busPort: number;
  password: string | undefined;
  /** `cluster-node-timeout`, in milliseconds. */
  nodeTimeoutMs: number;
  requireFullCoverage: boolean;
  /** TLS only: the data port, the cluster bus and replication all speak TLS alone. */
  tls?: TlsFiles | undefined;
}

/**
 * redis.conf for a Redis Cluster node: a data node's settings plus cluster mode, its own
 * `nodes.conf` in its directory, and a replica that takes over however stale its data (validity
 * factor 0): a test's replica is always in step, and a refused election would only slow a failover.
 */
export function clusterNodeConfig(config: ClusterNodeConfig): string {
  const base = dataNodeConfig({
    node: config.node,
    password: config.password,
    replicaOf: undefined,
    minReplicasToWrite: 0,
    tls: config.tls,
  });
  const lines = [
    'cluster-enabled yes',
    `cluster-config-file ${quote(`${config.node.dir}/nodes.conf`)}`,
    `cluster-port ${config.busPort}`,
    `cluster-node-timeout ${config.nodeTimeoutMs}`,
    `cluster-require-full-coverage ${config.requireFullCoverage ? 'yes' : 'no'}`,
    'cluster-replica-validity-factor 0',
    // The master's pings move each replica's offset past 0 within a second, so CLUSTER SLOTS lists
    // it (Redis leaves out replicas whose offset is 0) instead of after the default 10 s.
    'repl-ping-replica-period 1',
  ];
  // The bus too: with `port 0` there is no plain port for the nodes to announce to each other.
  if (config.tls !== undefined) lines.push('tls-cluster yes');
  return `${base}${lines.join('\n')}\n`;
}

interface SentinelConfig {
  node: RedisNode;
  masterName: string;
  master: RedisNode;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  password?: string | undefined;
  sentinelPassword?: string | undefined;
  tls?: TlsFiles | undefined;
}

/** sentinel.conf: monitors the master; sentinels discover replicas and each other themselves. */
export function sentinelConfig(config: SentinelConfig): string {
  const { node, masterName, master } = config;
  const lines = [
    ...listenLines(node, config.tls),
    `bind ${node.host}`,
    `dir ${quote(node.dir)}`,
    `logfile ${quote(node.logFile)}`,
    'daemonize no',
    `sentinel monitor ${masterName} ${master.host} ${master.port} ${config.quorum}`,
    `sentinel down-after-milliseconds ${masterName} ${config.downAfterMs}`,
    `sentinel failover-timeout ${masterName} ${config.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${masterName} 1`,
  ];
  if (config.password !== undefined) lines.push(`sentinel auth-pass ${masterName} ${quote(config.password)}`);
  if (config.sentinelPassword !== undefined) {
    lines.push(`requirepass ${quote(config.sentinelPassword)}`);
    // Sentinels authenticate to each other with the same password.
    lines.push(`sentinel sentinel-pass ${quote(config.sentinelPassword)}`);
  }
  return `${lines.join('\n')}\n`;
}
