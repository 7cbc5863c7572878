import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ask } from './ask.js';
import { dataNodeConfig } from './configs.js';
import { pollUntil } from './poll.js';
import { freePorts } from './ports.js';
import { RedisNode } from './redis-node.js';

/** Options of {@link startStandalone}. */
export interface StandaloneOptions {
  /** `requirepass`. Default: none. */
  password?: string;
}

/** One redis-server without sentinels. */
export interface Standalone {
  host: string;
  port: number;
  pid: number | undefined;
  node: RedisNode;
  /** `redis://[:password@]127.0.0.1:<port>/0` */
  location: string;
  /** An ioredis client to it (db 0 unless given), closed by `stop()`. */
  client(options?: { db?: number }): Redis;
  stop(): Promise<void>;
}

/** Starts one redis-server on a free loopback port and resolves once it answers PING. */
export async function startStandalone(options: StandaloneOptions = {}): Promise<Standalone> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-kit-'));
  const [port] = (await freePorts(1)) as [number];
  const node = new RedisNode('standalone', port, dir, 'data');
  const clients = new Set<Redis>();
  const stop = async () => {
    for (const client of clients) client.disconnect();
    await node.kill();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await node.writeConfig(
      dataNodeConfig({ node, password: options.password, replicaOf: undefined, minReplicasToWrite: 0 }),
    );
    await node.start();
    await pollUntil(async () => (await ask({ ...node, password: options.password }, 'PING')) === 'PONG', {
      description: `redis-server on port ${port} to answer PING`,
    });
  } catch (error) {
    const log = await node.logTail();
    await stop();
    throw new Error(`redis-server did not start: ${(error as Error).message}\n${log}`, { cause: error });
  }
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return {
    host: node.host,
    port,
    pid: node.pid,
    node,
    location: `redis://${auth}${node.host}:${port}/0`,
    client: ({ db = 0 } = {}) => {
      const client = new Redis({ host: node.host, port, password: options.password, db });
      client.on('error', () => {});
      clients.add(client);
      return client;
    },
    stop,
  };
}
