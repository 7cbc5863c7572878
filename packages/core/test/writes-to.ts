import type { Cluster, Redis } from 'ioredis';

/** Commands that write, by ioredis's lower-case name: what a Cache call sends to a master. */
const WRITES = new Set(['set', 'eval', 'evalsha', 'incrby', 'del', 'unlink', 'mset', 'pexpire']);

/**
 * The writes `cluster` sends to the node at `port` from now on, as they are sent, counted per node
 * connection the cluster opens (its public `+node` event) — what "nothing is written to the old
 * master once it is back" is measured by.
 */
export function writesTo(cluster: Cluster, port: number): { sent: number } {
  const count = { sent: 0 };
  const watch = (redis: Redis) => {
    if (redis.options.port !== port) return;
    const send = redis.sendCommand.bind(redis);
    redis.sendCommand = (command, stream) => {
      if (WRITES.has(command.name)) count.sent += 1;
      return send(command, stream);
    };
  };
  cluster.on('+node', watch);
  for (const redis of cluster.nodes('all')) watch(redis);
  return count;
}
