import type { RedisNode } from './redis-node.js';

interface DataNodeConfig {
  node: RedisNode;
  password: string | undefined;
  replicaOf: RedisNode | undefined;
  minReplicasToWrite: number;
}

const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** redis.conf for a master or replica: loopback only, no persistence, instant diskless sync. */
export function dataNodeConfig({ node, password, replicaOf, minReplicasToWrite }: DataNodeConfig): string {
  const lines = [
    `port ${node.port}`,
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

interface SentinelConfig {
  node: RedisNode;
  masterName: string;
  master: RedisNode;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  password?: string | undefined;
  sentinelPassword?: string | undefined;
}

/** sentinel.conf: monitors the master; sentinels discover replicas and each other themselves. */
export function sentinelConfig(config: SentinelConfig): string {
  const { node, masterName, master } = config;
  const lines = [
    `port ${node.port}`,
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
