import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import { ask } from './ask.js';
import { dataNodeConfig } from './configs.js';
import { pollUntil } from './poll.js';
import { freePorts, retryOnPortClash } from './ports.js';
import { RedisNode } from './redis-node.js';
import { createTlsFiles } from './tls.js';

/** Options of {@link startStandalone}. */
export interface StandaloneOptions {
  /** `requirepass`. Default: none. */
  password?: string;
  /** TLS only (`port 0`, `tls-port`), with a CA and certificate made in the temp dir. Default false. */
  tls?: boolean;
  /** How long start-up may take before it fails with the server's log, in milliseconds. Default 15000 ms. */
  startTimeoutMs?: number;
}

/** One redis-server without sentinels. */
export interface Standalone {
  host: string;
  port: number;
  pid: number | undefined;
  node: RedisNode;
  /** `redis://[:password@]127.0.0.1:<port>/0` (`rediss://` with `tls`) */
  location: string;
  /** With `tls`: the options that trust its CA (`{ ca }`), for `options.tls` or ioredis's `tls`. */
  tls: ConnectionOptions | undefined;
  /** An ioredis client to it (db 0 unless given), closed by `stop()`. */
  client(options?: { db?: number }): Redis;
  stop(): Promise<void>;
}

/** Starts one redis-server on a free loopback port and resolves once it answers PING. */
export function startStandalone(options: StandaloneOptions = {}): Promise<Standalone> {
  return retryOnPortClash(() => startStandaloneOnce(options));
}

async function startStandaloneOnce(options: StandaloneOptions): Promise<Standalone> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-kit-'));
  const [port] = (await freePorts(1)) as [number];
  const node = new RedisNode('standalone', port, dir, 'data');
  const clients = new Set<Redis>();
  const stop = async () => {
    for (const client of clients) client.disconnect();
    await node.kill();
    await rm(dir, { recursive: true, force: true });
  };
  let tls: ConnectionOptions | undefined;
  try {
    const tlsFiles = options.tls ? await createTlsFiles(join(dir, 'tls')) : undefined;
    tls = tlsFiles === undefined ? undefined : { ca: tlsFiles.ca };
    await node.writeConfig(
      dataNodeConfig({
        node,
        password: options.password,
        replicaOf: undefined,
        minReplicasToWrite: 0,
        tls: tlsFiles,
      }),
    );
    await node.start();
    const target = { host: node.host, port, password: options.password, tls };
    await pollUntil(
      async () => {
        node.assertRunning();
        return (await ask(target, 'PING')) === 'PONG';
      },
      {
        description: `redis-server on port ${port} to answer PING`,
        timeoutMs: options.startTimeoutMs ?? 15_000,
      },
    );
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
    location: `${tls ? 'rediss' : 'redis'}://${auth}${node.host}:${port}/0`,
    tls,
    client: ({ db = 0 } = {}) => {
      const client = new Redis({ host: node.host, port, password: options.password, db, tls });
      client.on('error', () => {});
      clients.add(client);
      return client;
    },
    stop,
  };
}
