import { randomUUID } from 'node:crypto';
import { createCache, InvalidCacheArgumentError, InvalidCacheConfigError } from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { go, herdCalls, startHerd, stopHerd } from './herd.js';
import type { HerdChildConfig } from './herd-child.js';

// getOrSet's lock across real processes: each herd process is a node child with its own Cache on
// the same sentinel topology, started and told to go over IPC; producers count their runs in Redis.
let topo: Topology;
let redis: Redis;
const PASSWORD = 'herd-secret';

/** Commands the master ran, less the ones the sentinels and replicas send on their own. */
async function masterCommands(): Promise<number> {
  const stats = await redis.info('commandstats');
  let total = 0;
  for (const [, name, calls] of stats.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) {
    if (!['info', 'ping', 'replconf', 'role', 'publish', 'psync'].includes(name as string))
      total += Number(calls);
  }
  return total;
}

const herdConfig = (key: string, overrides: Partial<HerdChildConfig> = {}): HerdChildConfig => ({
  location: topo.location,
  password: PASSWORD,
  key,
  callers: 25,
  producerMs: 500,
  timeout: 60,
  lock: true,
  ...overrides,
});

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 1, quorum: 1, password: PASSWORD });
  redis = topo.client('master');
});

afterAll(async () => {
  await topo?.stop();
});

describe('getOrSet with lock, across processes', () => {
  it('runs the producer once for a herd of 100 callers in 4 processes, and every caller gets its value', async () => {
    const key = `cold-${randomUUID()}`;
    const herd = await startHerd(Array.from({ length: 4 }, () => herdConfig(key)));
    try {
      const commandsBefore = await masterCommands();
      const started = performance.now();
      go(herd);
      const calls = await herdCalls(herd);
      const elapsedS = (performance.now() - started) / 1000;
      const commands = (await masterCommands()) - commandsBefore;

      expect(calls.filter((c) => c.error !== undefined)).toEqual([]);
      expect(calls).toHaveLength(100);
      expect(await redis.get(`herd-runs:${key}`)).toBe('1');
      expect(new Set(calls.map((c) => JSON.stringify(c.value))).size).toBe(1);
      // The slowest caller waits for the producer and little more.
      expect(Math.max(...calls.map((c) => c.ms))).toBeLessThanOrEqual(500 + 300);
      // Everything the herd sent, producer's own counting included, spread over the 99 waiters.
      expect(commands / 99 / elapsedS).toBeLessThanOrEqual(25);
    } finally {
      await stopHerd(herd);
    }
  });

  it('when the holder is killed mid-produce, a waiter takes over once the lock lapses', async () => {
    const key = `killed-${randomUUID()}`;
    const lock = { timeout: 1, wait: 10 };
    const [holder] = await startHerd([herdConfig(key, { callers: 1, producerMs: 60_000, lock })]);
    const [waiter] = await startHerd([herdConfig(key, { callers: 5, producerMs: 100, lock })]);
    if (holder === undefined || waiter === undefined) throw new Error('the herd did not start');
    try {
      go([holder]);
      await pollUntil(() => holder.producing.length === 1, { description: 'the holder to start producing' });
      go([waiter]);
      expect(await redis.exists(`herd:1:${key}:fill-lock`)).toBe(1);
      holder.child.kill('SIGKILL');
      const calls = await herdCalls([waiter]);

      expect(calls.filter((c) => c.error !== undefined)).toEqual([]);
      expect(calls).toHaveLength(5);
      expect(waiter.producing).toHaveLength(1);
      expect(await redis.get(`herd-runs:${key}`)).toBe('2');
      for (const call of calls) expect(call.value).toEqual({ pid: waiter.child.pid, run: 2 });
      // Taken over when the 1 s lock lapsed, long before the 10 s wait ran out.
      expect(Math.max(...calls.map((c) => c.ms))).toBeLessThan(1000 + 100 + 1000);
    } finally {
      await stopHerd([holder, waiter]);
    }
  });

  it('a waiter whose wait runs out runs the producer itself', async () => {
    const key = `slow-${randomUUID()}`;
    const [holder] = await startHerd([
      herdConfig(key, { callers: 1, producerMs: 3000, lock: { timeout: 10 } }),
    ]);
    const [waiter] = await startHerd([
      herdConfig(key, { callers: 1, producerMs: 50, lock: { timeout: 10, wait: 0.3 } }),
    ]);
    if (holder === undefined || waiter === undefined) throw new Error('the herd did not start');
    try {
      go([holder]);
      await pollUntil(() => holder.producing.length === 1, { description: 'the holder to start producing' });
      go([waiter]);
      const [call] = await herdCalls([waiter]);
      expect(call?.value).toEqual({ pid: waiter.child.pid, run: 2 });
      expect(call?.ms).toBeGreaterThanOrEqual(300);
      expect(call?.ms).toBeLessThan(300 + 50 + 500);
    } finally {
      await stopHerd([holder, waiter]);
    }
  });

  it('refresh ahead: after the first fill no caller waits, and one producer runs at a time across processes', async () => {
    const key = `refresh-${randomUUID()}`;
    const config = herdConfig(key, {
      callers: 5,
      producerMs: 300,
      timeout: 1,
      refreshAhead: 0.6,
      loopMs: 3000,
    });
    const herd = await startHerd([config, config]);
    try {
      go(herd);
      const calls = await herdCalls(herd);

      expect(calls.filter((c) => c.error !== undefined)).toEqual([]);
      const first = calls.filter((c) => c.index === 0);
      const later = calls.filter((c) => c.index > 0);
      expect(first).toHaveLength(10);
      expect(Math.max(...first.map((c) => c.ms))).toBeLessThanOrEqual(300 + 300);
      expect(later.reduce((sum, c) => sum + (c.count ?? 1), 0)).toBeGreaterThan(100);
      // A hit never waits for a producer (300 ms): the refresh runs behind the callers' backs.
      expect(Math.max(...later.map((c) => c.ms))).toBeLessThan(150);
      const runs = Number(await redis.get(`herd-runs:${key}`));
      expect(runs).toBeGreaterThanOrEqual(4);
      expect(runs).toBeLessThanOrEqual(10);
      expect(await redis.get(`herd-active:${key}:max`)).toBe('1');
    } finally {
      await stopHerd(herd);
    }
  });
});

describe('getOrSet options, in one process', () => {
  it('takes lock and refreshAhead from options.getOrSet unless the call says otherwise', async () => {
    const cache = createCache({
      location: topo.location,
      keyPrefix: 'opts',
      options: { password: PASSWORD, getOrSet: { lock: { timeout: 5 } } },
    });
    try {
      const key = `default-${randomUUID()}`;
      let lockSeen: number | undefined;
      const value = await cache.getOrSet(key, async () => {
        lockSeen = await redis.pttl(`opts:1:${key}:fill-lock`);
        return 'v';
      });
      expect(value).toBe('v');
      expect(lockSeen).toBeGreaterThan(4000);
      expect(await redis.exists(`opts:1:${key}:fill-lock`)).toBe(0);

      const unlocked = `unlocked-${randomUUID()}`;
      await cache.getOrSet(
        unlocked,
        async () => {
          lockSeen = await redis.exists(`opts:1:${unlocked}:fill-lock`);
          return 'v';
        },
        60,
        { lock: false },
      );
      expect(lockSeen).toBe(0);
    } finally {
      await cache.close();
    }
  });

  it('refreshes a hit about to expire in the background and hands back the current value', async () => {
    const cache = createCache({
      location: topo.location,
      keyPrefix: 'opts',
      options: { password: PASSWORD },
    });
    try {
      const key = `ahead-${randomUUID()}`;
      await cache.set(key, 'old', 10);
      let runs = 0;
      const producer = async () => {
        runs += 1;
        return 'new';
      };
      expect(await cache.getOrSet(key, producer, 10, { refreshAhead: 5 })).toBe('old');
      expect(await cache.getOrSet(key, producer, 10, { refreshAhead: 12 })).toBe('old');
      await pollUntil(async () => (await cache.get(key)) === 'new', { description: 'the refresh to land' });
      expect(runs).toBe(1);
      expect(await redis.pttl(`opts:1:${key}`)).toBeGreaterThan(9000);
    } finally {
      await cache.close();
    }
  });

  it('with ignoreExceptions and Redis unreachable, runs the producer without the lock', async () => {
    const cache = createCache({
      location: 'redis://127.0.0.1:1/0',
      options: { ignoreExceptions: true, queueTimeout: 200, logger: {} },
    });
    try {
      let runs = 0;
      const value = await cache.getOrSet('k', async () => ++runs, 60, { lock: { timeout: 1 } });
      expect(value).toBe(1);
      expect(runs).toBe(1);
    } finally {
      await cache.close();
    }
  });

  it('rejects lock and refreshAhead values that are not seconds, in the call and in the config', async () => {
    const cache = createCache({ location: topo.location, options: { password: PASSWORD } });
    try {
      await expect(async () => cache.getOrSet('k', 'v', 60, { refreshAhead: -1 })).rejects.toThrow(
        InvalidCacheArgumentError,
      );
      await expect(async () => cache.getOrSet('k', 'v', 60, { lock: { timeout: 0 } })).rejects.toThrow(
        /lock\.timeout/,
      );
    } finally {
      await cache.close();
    }
    expect(() =>
      createCache({ location: topo.location, options: { getOrSet: { lock: { wait: Number.NaN } } } }),
    ).toThrow(InvalidCacheConfigError);
  });
});
