import { type Cluster as ClusterTopology, startCluster } from '@sentinel-kit/testkit';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Cache,
  type Caches,
  ClusterConnector,
  createCaches,
  getRedisConnection,
  KeyNotFoundError,
  UnsupportedLocationError,
} from '../src/index.js';
import { keySlot } from '../src/shared/key-slot.js';

const PASSWORD = 'cluster-pw';
/** Keys whose Redis keys (`cl:1:<key>`) land on every one of the three masters. */
const KEYS = Array.from({ length: 24 }, (_, i) => `key-${i}`);

describe('Cache on a Redis Cluster alias', () => {
  let cluster: ClusterTopology;
  let caches: Caches<'default' | 'other' | 'replicas'>;
  let cache: Cache;
  beforeAll(async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD });
    const options = { password: PASSWORD };
    caches = createCaches({
      default: { location: cluster.location, keyPrefix: 'cl', options: { ...options, readFrom: 'master' } },
      other: { location: cluster.location, keyPrefix: 'other', options: { ...options, readFrom: 'master' } },
      replicas: { location: cluster.location, keyPrefix: 'cl', options },
    });
    cache = caches.default;
  });
  afterAll(async () => {
    await caches?.close();
    await cluster?.stop();
  });

  it('the test keys live on every master', () => {
    const shards = new Set(KEYS.map((k) => cluster.shardOf(keySlot(`cl:1:${k}`))));
    expect(shards.size).toBe(3);
  });

  it('connector() is a ClusterConnector shared by the aliases; getRedisConnection is an ioredis Cluster', () => {
    expect(caches.connector('default')).toBeInstanceOf(ClusterConnector);
    expect(caches.connector('other')).toBe(caches.connector('default'));
    expect(getRedisConnection(caches)).toBeInstanceOf(Cluster);
    expect(getRedisConnection(caches, 'replicas', { write: false })).toBeInstanceOf(Cluster);
  });

  it('set/get/add/has/delete, one key at a time, on every slot range', async () => {
    for (const key of KEYS) expect(await cache.set(key, { key })).toBe(true);
    for (const key of KEYS) expect(await cache.get(key)).toEqual({ key });
    expect(await cache.add(KEYS[0] as string, 'again')).toBe(false);
    expect(await cache.has(KEYS[1] as string)).toBe(true);
    expect(await cache.delete(KEYS[1] as string)).toBe(true);
    expect(await cache.get(KEYS[1] as string, 'gone')).toBe('gone');
  });

  it('sets issued in one turn go out per slot (the batcher), each caller with its own result', async () => {
    const results = await Promise.all(
      KEYS.map((key, i) => cache.set(`batch-${key}`, i, 60, { nx: i % 2 === 0 })),
    );
    expect(results).toEqual(KEYS.map(() => true));
    const again = await Promise.all(KEYS.map((key) => cache.add(`batch-${key}`, 'x')));
    expect(again).toEqual(KEYS.map(() => false));
    expect(await cache.getMany(KEYS.map((k) => `batch-${k}`))).toEqual(
      Object.fromEntries(KEYS.map((k, i) => [`batch-${k}`, i])),
    );
  });

  it('getMany, setMany and deleteMany across slots', async () => {
    const entries = Object.fromEntries(KEYS.map((k, i) => [`many-${k}`, `v${i}`]));
    expect(await cache.setMany(entries, 60)).toEqual([]);
    expect(await cache.getMany([...Object.keys(entries), 'missing'])).toEqual(entries);
    expect(await cache.deleteMany(Object.keys(entries).slice(0, 10))).toBe(10);
    expect(Object.keys(await cache.getMany(Object.keys(entries)))).toHaveLength(KEYS.length - 10);
  });

  it('incr/decr, touch/ttl/expire/persist and getOrSet', async () => {
    await cache.set('counter', 10);
    expect(await cache.incr('counter', 5)).toBe(15);
    expect(await cache.decr('counter')).toBe(14);
    await expect(cache.incr('no-counter')).rejects.toBeInstanceOf(KeyNotFoundError);
    expect(await cache.touch('counter', 100)).toBe(true);
    expect(await cache.ttl('counter')).toBeGreaterThan(90);
    expect(await cache.persist('counter')).toBe(true);
    expect(await cache.ttl('counter')).toBeNull();
    expect(await cache.expire('counter', 50)).toBe(true);
    expect(await cache.getOrSet('filled', () => 'made', 60)).toBe('made');
    expect(await cache.getOrSet('filled', () => 'not again', 60)).toBe('made');
  });

  it('incrVersion moves a value and its TTL to the key of the next version, in another slot', async () => {
    await cache.set('versioned', 'v', 120);
    const from = keySlot(cache.makeKey('versioned'));
    expect(keySlot(cache.makeKey('versioned', 2))).not.toBe(from);
    expect(await cache.incrVersion('versioned')).toBe(2);
    expect(await cache.get('versioned')).toBeUndefined();
    expect(await cache.get('versioned', undefined, { version: 2 })).toBe('v');
    expect(await cache.ttl('versioned', { version: 2 })).toBeGreaterThan(100);
    expect(await cache.decrVersion('versioned', 1, { version: 2 })).toBe(1);
    expect(await cache.get('versioned')).toBe('v');
    await expect(cache.incrVersion('never-set')).rejects.toBeInstanceOf(KeyNotFoundError);
  });

  it('keys/iterKeys see every master; deletePattern and clear leave other prefixes alone', async () => {
    const other = caches.get('other');
    await Promise.all(KEYS.map((k) => cache.set(`scan-${k}`, 1)));
    await Promise.all(KEYS.map((k) => other.set(`scan-${k}`, 1)));
    expect((await cache.keys('scan-*')).sort()).toEqual(KEYS.map((k) => `scan-${k}`).sort());
    const streamed: string[] = [];
    for await (const key of cache.iterKeys('scan-key-1*')) streamed.push(key);
    expect(streamed.sort()).toEqual(
      KEYS.filter((k) => k.startsWith('key-1'))
        .map((k) => `scan-${k}`)
        .sort(),
    );
    expect(await cache.deletePattern('scan-key-2*')).toBe(KEYS.filter((k) => k.startsWith('key-2')).length);
    await cache.clear();
    expect(await cache.keys('*')).toEqual([]);
    expect(await other.keys('scan-*')).toHaveLength(KEYS.length);
  });

  it('a lock on a cluster key', async () => {
    const lock = cache.lock('job', { timeout: 10 });
    expect(await lock.acquire()).toBe(true);
    expect(await cache.lock('job', { timeout: 10 }).acquire({ blocking: false })).toBe(false);
    await lock.release();
  });

  it('locks on every master: acquire, extend and release, each record in the slot of its key', async () => {
    for (const key of KEYS) {
      const lock = cache.lock(`lock-${key}`, { timeout: 10 });
      expect(await lock.acquire()).toBe(true);
      await lock.extend(5);
      expect(await cache.client().pttl(lock.redisKey)).toBeGreaterThan(10_000);
      await lock.release();
      expect(await lock.locked()).toBe(false);
    }
  });

  it('reads under replicaPreferred reach a replica of each slot', async () => {
    const replicas = caches.get('replicas');
    // Written through another alias of the same prefix: a write of its own would send this alias's
    // reads of the key to the master for a while (read-your-writes).
    await cache.set('replicated', 'r');
    const reader = replicas.client({ write: false });
    expect(reader).not.toBe(replicas.client());
    let seen: unknown;
    for (let i = 0; i < 100 && seen !== 'r'; i += 1) seen = await replicas.get('replicated');
    expect(seen).toBe('r');
    // Replica connections open on the first read sent to them.
    expect((reader as Cluster).nodes('slave').some((node) => node.status === 'ready')).toBe(true);
  });

  it('a near cache is refused on a cluster alias, naming it', () => {
    expect(() =>
      createCaches({ near: { location: cluster.location, options: { nearCache: true } } }),
    ).toThrow(UnsupportedLocationError);
  });
});
