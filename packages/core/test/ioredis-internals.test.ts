import { createRequire } from 'node:module';
import { pollUntil, type Standalone, startStandalone } from '@sentinel-kit/testkit';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertClientInternals,
  failQueued,
  failWaiting,
  inHandshake,
  interceptSendCommand,
  ReconnectDelay,
  reconnectNow,
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
