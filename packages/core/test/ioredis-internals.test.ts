import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { freePorts, pollUntil, type Standalone, startStandalone } from '@sentinel-kit/testkit';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertClientInternals,
  closedClient,
  closeNow,
  failQueued,
  failStranded,
  failWaiting,
  inHandshake,
  interceptSendCommand,
  ReconnectDelay,
  reconnectNow,
  strandedCommands,
  watchSentinelWalk,
} from '../src/connector/ioredis/client-internals.js';

// The connector relies on ioredis members it does not type publicly. These tests fail when an
// ioredis release changes one of them, before the connector misbehaves silently.
let server: Standalone;
const clients: Redis[] = [];

const client = (options: RedisOptions = {}): Redis => {
  const redis = new Redis({ host: server.host, port: server.port, password: 'int-pw', ...options });
  redis.on('error', () => {});
  clients.push(redis);
  return redis;
};

beforeAll(async () => {
  server = await startStandalone({ password: 'int-pw' });
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server?.stop();
});

describe('the ioredis internals the connector touches', () => {
  it('is the ioredis minor version the package pins', () => {
    const require = createRequire(import.meta.url);
    const manifest = require('../package.json') as { dependencies: Record<string, string> };
    const installed = (require('ioredis/package.json') as { version: string }).version;
    const range = manifest.dependencies.ioredis as string;
    expect(range).toMatch(/^~\d+\.\d+\.\d+$/);
    expect(installed.split('.').slice(0, 2)).toEqual(range.slice(1).split('.').slice(0, 2));
  });

  it('are all present on a plain client and on a sentinel client', () => {
    expect(() => assertClientInternals(client({ lazyConnect: true }), { sentinel: false })).not.toThrow();
    const sentinelClient = client({
      lazyConnect: true,
      sentinels: [{ host: server.host, port: 1 }],
      name: 'm',
    });
    expect(() => assertClientInternals(sentinelClient, { sentinel: true })).not.toThrow();
  });

  it('names what is missing when a member is gone', () => {
    // Never connected, so it holds no socket or timer, and is never disconnected: it has no flushQueue.
    const broken = new Redis({ lazyConnect: true });
    Object.defineProperty(broken, 'flushQueue', { value: undefined });
    Object.defineProperty(broken, 'connector', { value: {} });
    expect(() => assertClientInternals(broken, { sentinel: true })).toThrow(
      /flushQueue\(\).*connector\.check\(\)/,
    );
  });

  it('sendCommand is the door every command passes, and the handshake is seen as such', async () => {
    const redis = client({ lazyConnect: true });
    const seen: { name: string; handshake: boolean }[] = [];
    const send = interceptSendCommand(redis, (command, stream) => {
      seen.push({ name: command.name, handshake: inHandshake(redis) });
      return send(command, stream);
    });
    await redis.connect();
    expect(await redis.set('internals:k', 'v')).toBe('OK');
    expect(seen.find((c) => c.name === 'hello' || c.name === 'auth')?.handshake).toBe(true);
    expect(seen.find((c) => c.name === 'set')?.handshake).toBe(false);
  });

  it('the offline queue can be failed selectively, and the whole queue at once', async () => {
    const redis = client({ lazyConnect: true, maxRetriesPerRequest: null });
    const first = redis.get('internals:a');
    const second = redis.get('internals:b');
    failWaiting(redis, (command) => command.args[0] === 'internals:a', new Error('expired'));
    await expect(first).rejects.toThrow('expired');
    failQueued(redis, new Error('all gone'));
    await expect(second).rejects.toThrow('all gone');
  });

  it('a reconnect can be forced now, dropping the socket', async () => {
    const redis = client();
    await redis.ping();
    let reconnects = 0;
    redis.on('reconnecting', () => reconnects++);
    reconnectNow(redis, new ReconnectDelay(200));
    await pollUntil(() => reconnects > 0 && redis.status === 'ready', { description: 'a fresh connection' });
    expect(await redis.ping()).toBe('PONG');
  });
});

describe('the ioredis internals close() and the command bounds rely on', () => {
  /** A client that waits a whole second before reconnecting, so a dead socket's state can be looked at. */
  const slowReconnect = () => client({ retryStrategy: () => 1000, maxRetriesPerRequest: null });
  /** A command the server never answers: BLPOP on a key nobody pushes to, without timeout. */
  const unanswered = (redis: Redis) => redis.blpop(`internals:never:${Math.random()}`, 0);
  const dropSocket = (redis: Redis) => reconnectNow(redis, new ReconnectDelay(200));

  it('a command written to a socket that died unanswered is stranded until failed', async () => {
    const redis = slowReconnect();
    await redis.ping();
    const waiting = unanswered(redis);
    await pollUntil(async () => String(await server.client().client('LIST')).includes('cmd=blpop'), {
      description: 'the BLPOP to reach the server',
    });
    dropSocket(redis);
    await pollUntil(() => redis.status === 'reconnecting', { description: 'the socket to die' });
    expect(strandedCommands(redis).map((c) => c.name)).toEqual(['blpop']);
    failStranded(
      redis,
      () => true,
      (command) => new Error(`${command.name} stranded`),
    );
    await expect(waiting).rejects.toThrow('blpop stranded');
    expect(strandedCommands(redis)).toEqual([]);
  });

  it('closeNow fails what is queued, in flight and stranded, and ends the client at once', async () => {
    const unsent = new Error('unsent');
    const inFlight = new Error('in flight');
    const live = client();
    await live.ping();
    const answering = unanswered(live);
    await pollUntil(async () => String(await server.client().client('LIST')).includes('cmd=blpop'), {
      description: 'the BLPOP to reach the server',
    });
    closeNow(live, { unsent, inFlight });
    await expect(answering).rejects.toBe(inFlight);
    await pollUntil(() => live.status === 'end', { description: 'the live client to end' });

    const dead = slowReconnect();
    await dead.ping();
    const stranded = unanswered(dead);
    await pollUntil(async () => String(await server.client().client('LIST')).includes('cmd=blpop'), {
      description: 'the BLPOP to reach the server',
    });
    dropSocket(dead);
    await pollUntil(() => dead.status === 'reconnecting', { description: 'the socket to die' });
    const queued = dead.get('internals:queued');
    closeNow(dead, { unsent, inFlight });
    await expect(stranded).rejects.toBe(inFlight);
    await expect(queued).rejects.toBe(unsent);
    // A reconnecting client has no socket left to close: it ends now rather than never.
    expect(dead.status).toBe('end');
  });

  it('a closed client fails every command and pipeline at once and opens nothing', async () => {
    const error = new Error('closed');
    const redis = closedClient(error);
    await expect(redis.get('internals:k')).rejects.toBe(error);
    const results = await redis.pipeline().set('internals:k', 'v').get('internals:k').exec();
    expect(results?.map(([failed]) => failed)).toEqual([error, error]);
    expect(redis.status).toBe('end');
  });

  describe("the sentinel connector's walk", () => {
    let hung: Server;
    const held: Socket[] = [];
    beforeAll(async () => {
      hung = createServer((socket) => held.push(socket));
      await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => hung.close(resolve));
    });
    const hungPort = () => (hung.address() as { port: number }).port;

    it('passes on each sentinel client socket error and deadline, and stops for good', async () => {
      const [refusing] = await freePorts(1);
      const redis = client({
        lazyConnect: true,
        sentinels: [
          { host: '127.0.0.1', port: refusing as number },
          { host: '127.0.0.1', port: hungPort() },
        ],
        name: 'mymaster',
        sentinelRetryStrategy: () => 50,
      });
      const socketErrors: string[] = [];
      const timeouts: number[] = [];
      const walk = watchSentinelWalk(redis, {
        deadlineMs: 200,
        onSocketError: (sentinel, error) =>
          socketErrors.push(`${sentinel.port} ${(error as { code?: string }).code}`),
        onTimeout: (sentinel) => timeouts.push(sentinel.port),
      });
      const started = Date.now();
      redis.connect().catch(() => {});
      await pollUntil(() => timeouts.length > 0, { description: 'the hung sentinel to run out of time' });
      expect(Date.now() - started).toBeLessThan(1000);
      expect(socketErrors).toContain(`${refusing} ECONNREFUSED`);
      expect(timeouts[0]).toBe(hungPort());
      const connections = held.length;
      redis.disconnect();
      walk.stop();
      // The walk ends the client only once it stops asking sentinels.
      await pollUntil(() => redis.status === 'end', { description: 'the walk to end' });
      expect(held.length).toBe(connections);
    });
  });
});
