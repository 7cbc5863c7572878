import { type Cache, createCache, OutcomeUnknownError } from '@sentinel-kit/core';
import { pollUntil, type Standalone, startStandalone } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from './tcp-proxy.js';

// A command applied by the node whose reply never arrived, then a socket that dies: ioredis resends
// the command on its next connection. The proxy holds the replies back and cuts the connection.
let server: Standalone;
let direct: Redis;
let proxy: TcpProxy;
let cache: Cache | undefined;

beforeAll(async () => {
  server = await startStandalone();
  direct = server.client();
});

afterAll(async () => {
  await server.stop();
});

afterEach(async () => {
  await cache?.close();
  cache = undefined;
  await proxy.stop();
});

async function cacheThroughProxy(options: { queueTimeout?: number } = {}): Promise<Cache> {
  proxy = await TcpProxy.start({ host: server.host, port: server.port });
  cache = createCache(
    {
      location: `redis://${proxy.host}:${proxy.port}/0`,
      keyPrefix: `once-${Math.random().toString(36).slice(2)}`,
      options: { socketConnectTimeout: 500, ...options },
    },
    { alias: 'once' },
  );
  await cache.set('warm-up', 1);
  return cache;
}

/** How many SETs and EVALs the node has run: an add is one of them. */
async function writesRun(): Promise<number> {
  const stats = await direct.info('commandstats');
  const calls = (command: string) =>
    Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
  return calls('set') + calls('eval');
}

/** Runs `call` with the node's replies held back until `applied` holds, then cuts and heals the link. */
async function loseTheReply<T>(call: () => Promise<T>, applied: () => Promise<boolean>): Promise<T> {
  proxy.setMode('holdReplies');
  const pending = call();
  pending.catch(() => {});
  await pollUntil(applied, { description: 'the node to apply the command whose reply is held' });
  proxy.cut();
  proxy.setMode('forward');
  return pending;
}

describe('a command resent after its reply was lost', () => {
  it('incr applies once and returns the first result', async () => {
    const c = await cacheThroughProxy();
    await c.set('n', 10);
    const key = c.makeKey('n');
    const reply = await loseTheReply(
      () => c.incr('n', 5),
      async () => (await direct.get(key)) === '15',
    );
    expect(reply).toBe(15);
    expect(await direct.get(key)).toBe('15');
    expect(await c.incr('n')).toBe(16);
  });

  it('decr applies once', async () => {
    const c = await cacheThroughProxy();
    await c.set('n', 10);
    const key = c.makeKey('n');
    const reply = await loseTheReply(
      () => c.decr('n', 3),
      async () => (await direct.get(key)) === '7',
    );
    expect(reply).toBe(7);
    expect(await direct.get(key)).toBe('7');
  });

  it('incrVersion moves once and does not report the moved key as missing', async () => {
    const c = await cacheThroughProxy();
    await c.set('v', 'value');
    const moved = c.makeKey('v', 2);
    const version = await loseTheReply(
      () => c.incrVersion('v'),
      async () => (await direct.exists(moved)) === 1,
    );
    expect(version).toBe(2);
    expect(await c.get('v', undefined, { version: 2 })).toBe('value');
    expect(await c.has('v')).toBe(false);
  });

  it('a lock acquired by the first send is acquired, not reported as held by someone else', async () => {
    const c = await cacheThroughProxy();
    const lock = c.lock('job', { timeout: 30, blocking: false });
    const acquired = await loseTheReply(
      () => lock.acquire(),
      async () => (await direct.exists(lock.redisKey)) === 1,
    );
    expect(acquired).toBe(true);
    expect(await lock.owned()).toBe(true);
    await lock.release();
    expect(await direct.exists(lock.redisKey)).toBe(0);
  });

  it('add that stored before its reply was lost returns true, once, and the key holds its value', async () => {
    const c = await cacheThroughProxy();
    const key = c.makeKey('a');
    const added = await loseTheReply(
      () => c.add('a', 'mine', 60),
      async () => (await direct.exists(key)) === 1,
    );
    expect(added).toBe(true);
    expect(await c.get('a')).toBe('mine');
    expect(await c.add('a', 'theirs')).toBe(false);
    expect(await c.get('a')).toBe('mine');
  });

  it('set with nx that stored before its reply was lost returns true', async () => {
    const c = await cacheThroughProxy();
    const key = c.makeKey('s');
    const stored = await loseTheReply(
      () => c.set('s', 'mine', null, { nx: true }),
      async () => (await direct.exists(key)) === 1,
    );
    expect(stored).toBe(true);
    expect(await direct.pttl(key)).toBe(-1);
  });

  it('add that found the key taken returns false, even when the key is gone by the resend', async () => {
    const c = await cacheThroughProxy();
    await c.set('t', 'theirs');
    const key = c.makeKey('t');
    const before = await writesRun();
    const added = await loseTheReply(
      () => c.add('t', 'mine'),
      async () => {
        if ((await writesRun()) === before) return false;
        await direct.del(key);
        return true;
      },
    );
    expect(added).toBe(false);
    expect(await direct.exists(key)).toBe(0);
  });

  it('a lock release that applied before its reply was lost succeeds instead of reporting the lock not held', async () => {
    const c = await cacheThroughProxy();
    const lock = c.lock('job', { timeout: 30, blocking: false });
    expect(await lock.acquire()).toBe(true);
    await loseTheReply(
      () => lock.release(),
      async () => (await direct.exists(lock.redisKey)) === 0,
    );
    expect(await lock.locked()).toBe(false);
  });

  it('a lock extension that applied before its reply was lost adds its time once', async () => {
    const c = await cacheThroughProxy();
    const lock = c.lock('job', { timeout: 30, blocking: false });
    expect(await lock.acquire()).toBe(true);
    await loseTheReply(
      () => lock.extend(100),
      async () => (await direct.pttl(lock.redisKey)) > 31_000,
    );
    const pttl = await direct.pttl(lock.redisKey);
    expect(pttl).toBeGreaterThan(100_000);
    expect(pttl).toBeLessThanOrEqual(130_000);
    await lock.release();
  });

  it('past its resend window an increment fails with OutcomeUnknownError instead of going out again', async () => {
    // Window 1.5 × queueTimeout = 3 s from the first send; a stranded command fails on its own only
    // queueTimeout (2 to 2.5 s) after its socket died. Held 1.6 s, cut, reconnectable again at ~3.4 s:
    // the resend comes inside the second bound and after the first.
    const c = await cacheThroughProxy({ queueTimeout: 2000 });
    await c.set('n', 1);
    const key = c.makeKey('n');
    proxy.setMode('holdReplies');
    const sentAt = Date.now();
    const pending = c.incr('n');
    pending.catch(() => {});
    await pollUntil(async () => (await direct.get(key)) === '2', { description: 'the increment applied' });
    await pollUntil(() => Date.now() - sentAt >= 1600, {
      description: '1.6 s since the send',
      intervalMs: 20,
    });
    proxy.setMode('blackhole');
    proxy.cut();
    await pollUntil(() => Date.now() - sentAt >= 3400, {
      description: '3.4 s since the send',
      intervalMs: 20,
    });
    proxy.setMode('forward');
    proxy.cut();
    const error = await pending.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(await direct.get(key)).toBe('2');
  });
});
