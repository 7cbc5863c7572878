import { type Cache, createCache } from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NearWriter } from './near-writer.js';

/** Milliseconds within which a write by anyone must reach the near cache here (loopback, loaded CI). */
const STALENESS_BOUND_MS = 500;

let topo: Topology;
let raw: Redis;
const caches: Cache[] = [];

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3 });
  raw = topo.client('master');
});

afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.close()));
  await topo?.stop();
});

function nearCache(keyPrefix: string, nearCache: Parameters<typeof createCache>[0]['options'] = {}): Cache {
  const cache = createCache({
    location: topo.location,
    keyPrefix,
    timeout: null,
    options: { nearCache: true, ...nearCache },
  });
  caches.push(cache);
  return cache;
}

/** Reads `key` until a read is answered from memory: the near cache is linked and holds it. */
async function heldOnce(cache: Cache, key: string): Promise<unknown> {
  return pollUntil(
    async () => {
      const before = cache.nearCache?.hits ?? 0;
      const value = await cache.get(key);
      return (cache.nearCache?.hits ?? 0) > before ? { value } : undefined;
    },
    { description: `the near cache to hold ${key}` },
  ).then((held) => held.value);
}

/** The near-cache connections (by CLIENT LIST name) open on the master now. */
async function nearConnections(): Promise<string[]> {
  const list = (await raw.call('CLIENT', 'LIST')) as string;
  return list
    .split('\n')
    .map((line) => /name=(\S+)/.exec(line)?.[1] ?? '')
    .filter((name) => name.includes(':near-cache-'));
}

describe('near cache', () => {
  it('is off by default: cache.nearCache is undefined', () => {
    const cache = createCache({ location: topo.location });
    caches.push(cache);
    expect(cache.nearCache).toBeUndefined();
  });

  it('answers get, getMany and has from memory once it holds a key', async () => {
    const cache = nearCache('nc-hit');
    await cache.set('a', { n: 1 });
    await cache.set('b', 2);
    expect(await heldOnce(cache, 'a')).toEqual({ n: 1 });
    await heldOnce(cache, 'b');
    const stats = cache.nearCache;
    const hits = stats?.hits ?? 0;
    expect(await cache.getMany(['a', 'b', 'missing'])).toEqual({ a: { n: 1 }, b: 2 });
    expect(await cache.has('a')).toBe(true);
    expect(stats?.hits).toBe(hits + 3);
    // A key read absent is held too (getMany read it): Redis tracks it, and invalidates it when
    // someone creates it.
    expect(await cache.has('missing')).toBe(false);
    expect(await cache.get('missing', 'dflt')).toBe('dflt');
    expect(stats?.hits).toBe(hits + 5);
    // A value handed out is decoded afresh: changing it does not change what is held.
    const got = (await cache.get<{ n: number }>('a')) as { n: number };
    got.n = 99;
    expect(await cache.get('a')).toEqual({ n: 1 });
  });

  it('a write by another process reaches it within the staleness bound, every time', async () => {
    const cache = nearCache('nc-proc');
    const writer = await NearWriter.start({ location: topo.location, keyPrefix: 'nc-proc' });
    try {
      await writer.set('hot', 'v0');
      expect(await heldOnce(cache, 'hot')).toBe('v0');
      const windows: number[] = [];
      for (let round = 1; round <= 20; round++) {
        const hits = cache.nearCache?.hits ?? 0;
        expect(await cache.get('hot')).toBe(`v${round - 1}`);
        expect(cache.nearCache?.hits).toBe(hits + 1);
        const ackedAt = await writer.set('hot', `v${round}`);
        await pollUntil(async () => (await cache.get('hot')) === `v${round}`, {
          description: `the near cache to see v${round}`,
          intervalMs: 1,
          timeoutMs: 5_000,
        });
        windows.push(Date.now() - ackedAt);
        // Held again (refilled on the miss), so the next round starts from memory.
        await heldOnce(cache, 'hot');
      }
      expect(Math.max(...windows)).toBeLessThanOrEqual(STALENESS_BOUND_MS);
      expect(cache.nearCache?.invalidations).toBeGreaterThanOrEqual(20);
    } finally {
      await writer.stop();
    }
  });

  it('a write by redis-cli-style raw commands, and a key created after it was read absent, invalidate too', async () => {
    const cache = nearCache('nc-raw');
    await raw.set('nc-raw:1:k', '"one"');
    expect(await heldOnce(cache, 'k')).toBe('one');
    await raw.set('nc-raw:1:k', '"two"');
    await pollUntil(async () => (await cache.get('k')) === 'two', {
      description: 'two',
      timeoutMs: STALENESS_BOUND_MS,
    });
    expect(await heldOnce(cache, 'later')).toBeUndefined();
    await raw.set('nc-raw:1:later', '"now"');
    await pollUntil(async () => (await cache.get('later')) === 'now', {
      description: 'the created key',
      timeoutMs: STALENESS_BOUND_MS,
    });
  });

  it("the cache's own writes drop the entry before they are sent: each is read back at once", async () => {
    const cache = nearCache('nc-own');
    await cache.set('k', 1);
    await heldOnce(cache, 'k');
    await cache.set('k', 2);
    expect(await cache.get('k')).toBe(2);
    await heldOnce(cache, 'k');
    expect(await cache.incr('k', 5)).toBe(7);
    expect(await cache.get('k')).toBe(7);
    await heldOnce(cache, 'k');
    await cache.setMany({ k: 'many' });
    expect(await cache.get('k')).toBe('many');
    await heldOnce(cache, 'k');
    expect(await cache.delete('k')).toBe(true);
    expect(await cache.get('k')).toBeUndefined();
    await cache.set('k', 'versioned');
    await heldOnce(cache, 'k');
    await cache.incrVersion('k');
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.get('k', undefined, { version: 2 })).toBe('versioned');
    await cache.set('p', 'pattern');
    await heldOnce(cache, 'p');
    await cache.deletePattern('p*');
    expect(await cache.get('p')).toBeUndefined();
    await cache.set('c', 'clear');
    await heldOnce(cache, 'c');
    await cache.clear();
    expect(await cache.get('c')).toBeUndefined();
  });

  it("never outlives the key's TTL in Redis, nor the local ttl", async () => {
    const cache = nearCache('nc-ttl');
    await cache.set('short', 'soon gone', 0.4);
    const setAt = Date.now();
    await heldOnce(cache, 'short');
    const goneAt = await pollUntil(
      async () => ((await cache.get('short')) === undefined ? Date.now() : undefined),
      {
        description: 'the expired key to read as missing',
        intervalMs: 5,
      },
    );
    expect(goneAt - setAt).toBeLessThanOrEqual(400 + 50);
    // touch shortens it: the entry goes and the new TTL applies.
    await cache.set('touched', 'x');
    await heldOnce(cache, 'touched');
    await cache.touch('touched', 0.3);
    const touchedAt = Date.now();
    await heldOnce(cache, 'touched');
    await pollUntil(async () => (await cache.get('touched')) === undefined, {
      description: 'the touched key to go',
    });
    expect(Date.now() - touchedAt).toBeLessThanOrEqual(300 + 100);

    const local = nearCache('nc-ttl', { nearCache: { ttl: 0.2 } });
    await local.set('forever', 'y');
    await heldOnce(local, 'forever');
    const heldAt = Date.now();
    const misses = local.nearCache?.misses ?? 0;
    await pollUntil(
      async () => {
        await local.get('forever');
        return (local.nearCache?.misses ?? 0) > misses;
      },
      { description: 'the local ttl to end the entry', intervalMs: 5 },
    );
    expect(Date.now() - heldAt).toBeLessThanOrEqual(200 + 50);
  });

  it('holds at most maxEntries entries and maxBytes bytes, least recently used out first', async () => {
    const byCount = nearCache('nc-lru', { nearCache: { maxEntries: 5 } });
    for (let i = 0; i < 10; i++) await byCount.set(`k${i}`, i);
    await heldOnce(byCount, 'k0');
    for (let i = 1; i < 10; i++) await byCount.get(`k${i}`);
    expect(byCount.nearCache?.size).toBe(5);
    const hits = byCount.nearCache?.hits ?? 0;
    await byCount.get('k9');
    expect(byCount.nearCache?.hits).toBe(hits + 1);
    await byCount.get('k0');
    expect(byCount.nearCache?.hits).toBe(hits + 1);

    // Each entry: a 100-byte value and a 10-character key; 350 bytes hold three.
    const bySize = nearCache('nc-bytes', { nearCache: { maxBytes: 350 } });
    const value = 'v'.repeat(98);
    for (let i = 0; i < 6; i++) await bySize.set(`k${i}`, value);
    await heldOnce(bySize, 'k0');
    for (let i = 1; i < 6; i++) await bySize.get(`k${i}`);
    expect(bySize.nearCache?.size).toBe(3);
  });

  it('FLUSHDB empties it (an invalidation with no key), counted as a flush', async () => {
    const cache = nearCache('nc-flush');
    await cache.set('k', 'before');
    await heldOnce(cache, 'k');
    const flushes = cache.nearCache?.flushes ?? 0;
    await raw.flushdb();
    await pollUntil(async () => (await cache.get('k')) === undefined, {
      description: 'the flushed key to read as missing',
      timeoutMs: STALENESS_BOUND_MS,
    });
    expect(cache.nearCache?.flushes).toBeGreaterThan(flushes);
  });

  it('reads the master, never a replica, and clear() empties memory only', async () => {
    const cache = nearCache('nc-master', { readFrom: 'replica' });
    await cache.set('k', 'v');
    await heldOnce(cache, 'k');
    const size = cache.nearCache?.size ?? 0;
    expect(size).toBeGreaterThan(0);
    cache.nearCache?.clear();
    expect(cache.nearCache?.size).toBe(0);
    expect(await cache.get('k')).toBe('v');
    const list = (await raw.call('CLIENT', 'LIST')) as string;
    expect(list).toMatch(/name=sentinel-kit:default:near-cache-reads/);
  });

  it('close() ends its subscriber and tracking connection', async () => {
    const before = await nearConnections();
    const cache = createCache({
      location: topo.location,
      keyPrefix: 'nc-close',
      options: { nearCache: true },
    });
    await cache.set('k', 1);
    await heldOnce(cache, 'k');
    expect((await nearConnections()).length).toBe(before.length + 2);
    await cache.close();
    await pollUntil(async () => (await nearConnections()).length === before.length, {
      description: 'the near-cache connections to close',
    });
  });
});
