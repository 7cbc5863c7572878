import { randomUUID } from 'node:crypto';
import {
  type Cache,
  type Caches,
  createCache,
  createCaches,
  DeserializationError,
  getRedisConnection,
  InvalidCacheArgumentError,
  KeyNotFoundError,
  SerializationError,
  UnknownCacheAliasError,
  ValueNotIntegerError,
} from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const PASSWORD = 'cache-pw';

let topo: Topology;
let caches: Caches;
let dj: Cache;
let hp: Cache;
let raw0: Redis;
let raw1: Redis;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, password: PASSWORD });
  caches = createCaches({
    // readFrom 'master' makes read-after-write exact; the replica routing has its own tests below.
    default: {
      location: topo.locationFor(0),
      keyPrefix: 'dj',
      options: { password: PASSWORD, readFrom: 'master' },
    },
    hp: {
      location: topo.locationFor(1),
      keyPrefix: 'dj:bi',
      options: { password: PASSWORD, readFrom: 'master' },
    },
    replicaReads: { location: topo.locationFor(0), keyPrefix: 'dj', options: { password: PASSWORD } },
    zipped: {
      location: topo.locationFor(0),
      keyPrefix: 'zip',
      options: { password: PASSWORD, readFrom: 'master', compressor: 'zlib' },
    },
    packed: {
      location: topo.locationFor(0),
      keyPrefix: 'mp',
      options: { password: PASSWORD, readFrom: 'master', serializer: 'msgpack' },
    },
  });
  dj = caches.default;
  hp = caches.get('hp');
  raw0 = topo.client('master', { db: 0 });
  raw1 = topo.client('master', { db: 1 });
});

afterAll(async () => {
  await caches?.close();
  await topo?.stop();
});

/** A fresh key per test, so tests sharing the topology never see each other's data. */
let k: string;
beforeEach(() => {
  k = `k-${randomUUID().slice(0, 8)}`;
});

describe('key layout and stored bytes', () => {
  it('set("name") on prefix dj is the Redis key dj:1:name holding the JSON text', async () => {
    expect(await dj.set(k, 'value')).toBe(true);
    expect(await raw0.get(`dj:1:${k}`)).toBe('"value"');
    expect(await dj.get(k)).toBe('value');
    expect(dj.makeKey(k)).toBe(`dj:1:${k}`);
    expect(dj.makeKey(k, 7)).toBe(`dj:7:${k}`);
  });

  it('133 on prefix dj:bi in db 1 is the Redis integer 133, and INCR works on it', async () => {
    await hp.set('code', 133);
    expect(await raw1.get('dj:bi:1:code')).toBe('133');
    expect(await raw1.object('ENCODING', 'dj:bi:1:code')).toBe('int');
    expect(await raw0.exists('dj:bi:1:code')).toBe(0);
    expect(await raw1.incr('dj:bi:1:code')).toBe(134);
    expect(await hp.get('code')).toBe(134);
  });

  it('stores a non-integer as exactly the UTF-8 of JSON.stringify, no header', async () => {
    const value = { name: 'Zoë', list: [1, 'two', null], ok: true, n: 1.5 };
    await dj.set(k, value);
    const stored = await raw0.getBuffer(`dj:1:${k}`);
    expect(stored?.equals(Buffer.from(JSON.stringify(value), 'utf8'))).toBe(true);
    expect(await dj.get(k)).toEqual(value);
  });

  it('does not treat booleans, floats or numeric strings as integers', async () => {
    await dj.setMany({ [`${k}b`]: true, [`${k}f`]: 2.5, [`${k}s`]: '42', [`${k}n`]: -7 });
    expect(await raw0.mget(`dj:1:${k}b`, `dj:1:${k}f`, `dj:1:${k}s`, `dj:1:${k}n`)).toEqual([
      'true',
      '2.5',
      '"42"',
      '-7',
    ]);
    expect(await dj.getMany([`${k}b`, `${k}f`, `${k}s`, `${k}n`])).toEqual({
      [`${k}b`]: true,
      [`${k}f`]: 2.5,
      [`${k}s`]: '42',
      [`${k}n`]: -7,
    });
  });

  it('stores null and reads it back as null, distinct from a miss', async () => {
    await dj.set(k, null);
    expect(await raw0.get(`dj:1:${k}`)).toBe('null');
    expect(await dj.get(k, 'default')).toBeNull();
    expect(await dj.get(`${k}-missing`, 'default')).toBe('default');
    expect(await dj.get(`${k}-missing`)).toBeUndefined();
  });

  it('compresses long values into a zlib container and keeps short ones plain', async () => {
    const long = { text: 'long enough to be compressed '.repeat(10) };
    const zipped = caches.get('zipped');
    await zipped.set(k, long);
    await zipped.set(`${k}-short`, 'tiny');
    const stored = await raw0.getBuffer(`zip:1:${k}`);
    expect(stored?.[0]).toBe(0x78);
    expect(stored?.length).toBeLessThan(JSON.stringify(long).length);
    expect(await raw0.get(`zip:1:${k}-short`)).toBe('"tiny"');
    expect(await zipped.getMany([k, `${k}-short`])).toEqual({ [k]: long, [`${k}-short`]: 'tiny' });
  });

  it('round-trips msgpack values; integers stay Redis integers', async () => {
    const packed = caches.get('packed');
    await packed.set(k, { a: [1, 2], b: 'x' });
    await packed.set(`${k}-int`, 5);
    expect(await packed.get(k)).toEqual({ a: [1, 2], b: 'x' });
    expect(await raw0.get(`mp:1:${k}-int`)).toBe('5');
    expect(await packed.incr(`${k}-int`)).toBe(6);
  });

  it('throws SerializationError naming the key for values JSON cannot hold, and stores nothing', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const value of [10n, cyclic, () => 1, { when: new Map() }]) {
      const error = await dj.set(k, value).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SerializationError);
      expect((error as SerializationError).message).toContain(`"${k}"`);
      expect((error as SerializationError).code).toBe('ERR_SERIALIZATION');
      expect((error as SerializationError).alias).toBe('default');
    }
    expect(await raw0.exists(`dj:1:${k}`)).toBe(0);
  });

  it('throws DeserializationError for bytes the serializer cannot read', async () => {
    await raw0.set(`dj:1:${k}`, 'not json {');
    await expect(dj.get(k)).rejects.toBeInstanceOf(DeserializationError);
  });
});

describe('timeouts (seconds, Django semantics)', () => {
  it('defaults to 300 s', async () => {
    await dj.set(k, 1);
    const pttl = await raw0.pttl(`dj:1:${k}`);
    expect(pttl).toBeGreaterThan(295_000);
    expect(pttl).toBeLessThanOrEqual(300_000);
  });

  it('null never expires; fractional seconds are honoured', async () => {
    await dj.set(k, 'forever', null);
    expect(await raw0.ttl(`dj:1:${k}`)).toBe(-1);
    await dj.set(`${k}-short`, 'soon', 1.5);
    const pttl = await raw0.pttl(`dj:1:${k}-short`);
    expect(pttl).toBeGreaterThan(1000);
    expect(pttl).toBeLessThanOrEqual(1500);
  });

  it('0 or a negative timeout deletes the key instead of storing', async () => {
    await dj.set(k, 'present', null);
    expect(await dj.set(k, 'gone', 0)).toBe(true);
    expect(await raw0.exists(`dj:1:${k}`)).toBe(0);
    await dj.set(k, 'present');
    await dj.set(k, 'gone', -5);
    expect(await raw0.exists(`dj:1:${k}`)).toBe(0);
    expect(await dj.set(k, 'nothing to delete', 0)).toBe(false);
  });

  it('ttl is 0 for a missing key, null for a persistent one, else seconds left', async () => {
    expect(await dj.ttl(k)).toBe(0);
    await dj.set(k, 'x', null);
    expect(await dj.ttl(k)).toBeNull();
    await dj.set(k, 'x', 100);
    const ttl = await dj.ttl(k);
    expect(ttl).toBeGreaterThanOrEqual(99);
    expect(ttl).toBeLessThanOrEqual(100);
  });

  it('touch, expire and persist change the timeout of an existing key only', async () => {
    expect(await dj.touch(k, 10)).toBe(false);
    await dj.set(k, 'x', null);
    expect(await dj.touch(k, 10)).toBe(true);
    expect(await raw0.ttl(`dj:1:${k}`)).toBeLessThanOrEqual(10);
    expect(await dj.persist(k)).toBe(true);
    expect(await raw0.ttl(`dj:1:${k}`)).toBe(-1);
    expect(await dj.expire(k, 20)).toBe(true);
    expect(await dj.ttl(k)).toBeGreaterThan(15);
    expect(await dj.touch(k)).toBe(true);
    expect(await dj.ttl(k)).toBeGreaterThan(295);
  });

  it('rejects a NaN timeout with a typed error', async () => {
    await expect(dj.set(k, 1, Number.NaN)).rejects.toBeInstanceOf(InvalidCacheArgumentError);
  });
});

describe('add, set flags, many-key methods', () => {
  it('add stores only when the key is free', async () => {
    expect(await dj.add(k, 'first')).toBe(true);
    expect(await dj.add(k, 'second')).toBe(false);
    expect(await dj.get(k)).toBe('first');
    expect(await dj.add(`${k}-free`, 'x', 0)).toBe(true);
    expect(await dj.add(k, 'x', 0)).toBe(false);
    expect(await dj.get(k)).toBe('first');
  });

  it('set honours nx and xx', async () => {
    expect(await dj.set(k, 1, null, { xx: true })).toBe(false);
    expect(await dj.set(k, 1, null, { nx: true })).toBe(true);
    expect(await dj.set(k, 2, null, { nx: true })).toBe(false);
    expect(await dj.set(k, 3, null, { xx: true })).toBe(true);
    expect(await dj.get(k)).toBe(3);
  });

  it('getMany returns found keys only; setMany stores all with one timeout; deleteMany counts', async () => {
    expect(await dj.setMany({ [`${k}a`]: 1, [`${k}b`]: { x: 1 } }, 60)).toEqual([]);
    expect(await dj.getMany([`${k}a`, `${k}b`, `${k}c`])).toEqual({ [`${k}a`]: 1, [`${k}b`]: { x: 1 } });
    expect(await raw0.ttl(`dj:1:${k}b`)).toBeLessThanOrEqual(60);
    expect(await dj.has(`${k}a`)).toBe(true);
    expect(await dj.deleteMany([`${k}a`, `${k}b`, `${k}c`])).toBe(2);
    expect(await dj.has(`${k}a`)).toBe(false);
    expect(await dj.getMany([])).toEqual({});
    expect(await dj.deleteMany([])).toBe(0);
  });

  it('delete reports whether the key existed', async () => {
    await dj.set(k, 'x');
    expect(await dj.delete(k)).toBe(true);
    expect(await dj.delete(k)).toBe(false);
  });
});

describe('incr and decr', () => {
  it('adds to the stored integer and keeps its TTL', async () => {
    await dj.set(k, 10, 100);
    expect(await dj.incr(k)).toBe(11);
    expect(await dj.incr(k, 5)).toBe(16);
    expect(await dj.decr(k, 20)).toBe(-4);
    expect(await raw0.get(`dj:1:${k}`)).toBe('-4');
    expect(await raw0.ttl(`dj:1:${k}`)).toBeGreaterThan(90);
  });

  it('throws KeyNotFoundError for a missing key and does not create it', async () => {
    const error = await dj.incr(k).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyNotFoundError);
    expect((error as KeyNotFoundError).code).toBe('ERR_KEY_NOT_FOUND');
    expect(await raw0.exists(`dj:1:${k}`)).toBe(0);
  });

  it('adds to a stored float in the process; refuses a non-number', async () => {
    await dj.set(k, 1.5, 100);
    expect(await dj.incr(k, 1)).toBe(2.5);
    expect(await raw0.ttl(`dj:1:${k}`)).toBeGreaterThan(90);
    await dj.set(`${k}-s`, 'text');
    await expect(dj.incr(`${k}-s`)).rejects.toBeInstanceOf(ValueNotIntegerError);
    await expect(dj.incr(k, 0.5)).rejects.toBeInstanceOf(InvalidCacheArgumentError);
  });
});

describe('versions', () => {
  it('every key method takes a version', async () => {
    await dj.set(k, 'v2', null, { version: 2 });
    expect(await raw0.get(`dj:2:${k}`)).toBe('"v2"');
    expect(await dj.get(k)).toBeUndefined();
    expect(await dj.get(k, undefined, { version: 2 })).toBe('v2');
    expect(await dj.has(k, { version: 2 })).toBe(true);
    expect(await dj.ttl(k, { version: 2 })).toBeNull();
    expect(await dj.keys(`${k}*`, { version: 2 })).toEqual([k]);
    expect(await dj.delete(k, { version: 2 })).toBe(true);
  });

  it('incrVersion moves the value and its remaining TTL; decrVersion moves it back', async () => {
    await dj.set(k, { v: 1 }, 100);
    expect(await dj.incrVersion(k)).toBe(2);
    expect(await raw0.exists(`dj:1:${k}`)).toBe(0);
    expect(await dj.get(k, undefined, { version: 2 })).toEqual({ v: 1 });
    const ttl = await raw0.ttl(`dj:2:${k}`);
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(await dj.decrVersion(k, 1, { version: 2 })).toBe(1);
    expect(await dj.get(k)).toEqual({ v: 1 });
    await expect(dj.incrVersion(`${k}-missing`)).rejects.toBeInstanceOf(KeyNotFoundError);
  });
});

describe('keys, iterKeys, deletePattern, clear', () => {
  it('keys and iterKeys hand back the user keys of this version and prefix', async () => {
    await dj.setMany({ [`${k}:a`]: 1, [`${k}:b`]: 2 });
    await dj.set(`${k}:c`, 3, null, { version: 2 });
    await raw0.set(`dj:bi:1:${k}:x`, '1');
    expect((await dj.keys(`${k}:*`)).sort()).toEqual([`${k}:a`, `${k}:b`]);
    const streamed: string[] = [];
    for await (const key of dj.iterKeys(`${k}:*`)) streamed.push(key);
    expect(streamed.sort()).toEqual([`${k}:a`, `${k}:b`]);
  });

  it('keys treats glob characters in the prefix literally', async () => {
    const star = createCaches({
      s: { location: topo.locationFor(0), keyPrefix: 'p*', options: { password: PASSWORD } },
    });
    try {
      await raw0.set(`pX:1:${k}`, '1');
      await star.get('s').set(k, 1);
      expect(await star.get('s').keys(`${k}*`)).toEqual([k]);
    } finally {
      await star.close();
    }
  });

  it('deletePattern deletes matching keys of this version only and counts them', async () => {
    await dj.setMany({ [`${k}:1`]: 1, [`${k}:2`]: 2, [`${k}-other`]: 3 });
    await dj.set(`${k}:3`, 3, null, { version: 5 });
    expect(await dj.deletePattern(`${k}:*`)).toBe(2);
    expect(await dj.has(`${k}-other`)).toBe(true);
    expect(await dj.has(`${k}:3`, { version: 5 })).toBe(true);
  });

  it('clear() removes every version of its own keys and leaves dj:bi and foreign keys alone', async () => {
    const own = createCaches({
      c: {
        location: topo.locationFor(0),
        keyPrefix: `own${k}`,
        options: { password: PASSWORD, readFrom: 'master' },
      },
    });
    const prefix = `own${k}`;
    try {
      const cache = own.get('c');
      await cache.setMany({ a: 1, b: 'two' });
      await cache.set('c', 3, null, { version: 9 });
      await cache.set('d', 4, null, { version: -1 });
      const foreign = [
        `${prefix}:bi:1:x`,
        `${prefix}x:1:y`,
        `${prefix}`,
        `${prefix}:notversion:z`,
        `other:${prefix}:1:a`,
      ];
      for (const key of foreign) await raw0.set(key, 'keep');
      await cache.clear();
      expect(await raw0.exists(`${prefix}:1:a`, `${prefix}:1:b`, `${prefix}:9:c`, `${prefix}:-1:d`)).toBe(0);
      expect(await raw0.exists(...foreign)).toBe(foreign.length);
    } finally {
      await own.close();
    }
  });
});

describe('custom key function', () => {
  it('keyFunction shapes the Redis key; reverseKeyFunction gives user keys back; clear() uses its pattern', async () => {
    const custom = createCaches({
      c: {
        location: topo.locationFor(0),
        keyPrefix: `kf${k}`,
        version: 3,
        keyFunction: (key, prefix, version) => `${prefix}/v${version}/${key}`,
        reverseKeyFunction: (redisKey, prefix, version) =>
          redisKey.startsWith(`${prefix}/v${version}/`)
            ? redisKey.slice(`${prefix}/v${version}/`.length)
            : undefined,
        options: { password: PASSWORD, readFrom: 'master' },
      },
    });
    try {
      const cache = custom.get('c');
      await cache.setMany({ a: 1, b: 2 });
      expect(await raw0.get(`kf${k}/v3/a`)).toBe('1');
      expect((await cache.keys('*')).sort()).toEqual(['a', 'b']);
      await raw0.set(`kf${k}:3:other`, 'keep');
      await cache.clear();
      expect(await raw0.exists(`kf${k}/v3/a`, `kf${k}/v3/b`)).toBe(0);
      expect(await raw0.get(`kf${k}:3:other`)).toBe('keep');
    } finally {
      await custom.close();
    }
  });
});

describe('getOrSet', () => {
  it('runs the factory once for concurrent callers of one key and stores its value', async () => {
    let calls = 0;
    const factory = async () => {
      calls += 1;
      await raw0.ping(); // a real round trip, so the callers overlap
      return { built: calls };
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => dj.getOrSet(k, factory, 60)));
    expect(calls).toBe(1);
    expect(results.every((r) => r.built === 1)).toBe(true);
    expect(await raw0.get(`dj:1:${k}`)).toBe('{"built":1}');
    expect(await dj.getOrSet(k, () => ({ built: 99 }))).toEqual({ built: 1 });
  });

  it('returns the stored value, not its own, when another writer got there first', async () => {
    await raw0.set(`dj:1:${k}`, '"theirs"');
    expect(await dj.getOrSet(k, 'mine')).toBe('theirs');
  });
});

describe('locks', () => {
  it('acquire, release only by the holder, extend, and using()', async () => {
    const lock = dj.lock(k, { timeout: 10 });
    expect(lock.redisKey).toBe(`dj:1:${k}`);
    expect(await lock.acquire()).toBe(true);
    expect(await lock.owned()).toBe(true);
    const other = dj.lock(k, { timeout: 10 });
    expect(await other.acquire({ blocking: false })).toBe(false);
    await expect(other.release()).rejects.toMatchObject({ code: 'ERR_LOCK_NOT_OWNED' });
    await lock.extend(20);
    expect(await raw0.pttl(`dj:1:${k}`)).toBeGreaterThan(20_000);
    await lock.extend(5, { replaceTtl: true });
    expect(await raw0.pttl(`dj:1:${k}`)).toBeLessThanOrEqual(5000);
    await lock.release();
    expect(await lock.locked()).toBe(false);
    await expect(lock.release()).rejects.toMatchObject({ code: 'ERR_LOCK_NOT_OWNED' });
    expect(await other.using(async () => (await other.owned()) && 'ran')).toBe('ran');
    expect(await raw0.exists(`dj:1:${k}`)).toBe(0);
  });

  it('a holder whose lock expired and was taken cannot release the new holder', async () => {
    const first = dj.lock(k, { timeout: 10 });
    await first.acquire();
    await raw0.del(`dj:1:${k}`); // as if it expired
    const second = dj.lock(k, { timeout: 10 });
    expect(await second.acquire({ blocking: false })).toBe(true);
    await expect(first.release()).rejects.toMatchObject({ code: 'ERR_LOCK_NOT_OWNED' });
    expect(await second.owned()).toBe(true);
    await second.release();
  });

  it('a blocking acquire waits for the release; blockingTimeout gives up', async () => {
    const holder = dj.lock(k, { timeout: 10 });
    await holder.acquire();
    const waiter = dj.lock(k, { timeout: 10, sleep: 0.02 });
    const waiting = waiter.acquire();
    await holder.release();
    expect(await waiting).toBe(true);
    const late = dj.lock(k, { blockingTimeout: 0.1, sleep: 0.02 });
    const started = Date.now();
    expect(await late.acquire()).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(late.using(() => 'never')).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    await waiter.release();
  });
});

describe('registry', () => {
  it('get, default and aliases; an unknown alias lists the configured ones', () => {
    expect(caches.get('default')).toBe(caches.default);
    expect(caches.aliases).toEqual(['default', 'hp', 'replicaReads', 'zipped', 'packed']);
    const error = (() => {
      try {
        caches.get('nope');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnknownCacheAliasError);
    expect((error as UnknownCacheAliasError).code).toBe('ERR_UNKNOWN_CACHE_ALIAS');
    expect((error as Error).message).toMatch(/"nope".*"default", "hp"/);
  });

  it('aliases on the same topology, db and credentials share one connector; other dbs do not', () => {
    expect(caches.connector('default')).toBe(caches.connector('replicaReads'));
    expect(caches.connector('default')).toBe(caches.connector('zipped'));
    expect(caches.connector('hp')).not.toBe(caches.connector('default'));
  });

  it('getRedisConnection gives the master for writes and a replica for reads', async () => {
    const master = getRedisConnection(caches, 'default');
    expect(((await master.call('ROLE')) as unknown[])[0]).toBe('master');
    expect(getRedisConnection(caches)).toBe(master);
    // replicaPreferred reads from the master until the replica client is ready, then switches.
    await pollUntil(
      async () =>
        (
          (await getRedisConnection(caches, 'replicaReads', { write: false }).call('ROLE')) as unknown[]
        )[0] === 'slave',
      { description: 'the read client of replicaReads to reach the replica' },
    );
  });

  it('reads of the default read policy go to the replica and see replicated writes', async () => {
    const replicated = caches.get('replicaReads');
    await pollUntil(
      async () => ((await replicated.client({ write: false }).call('ROLE')) as unknown[])[0] === 'slave',
      {
        description: 'the read client to reach the replica',
      },
    );
    const [replica] = await topo.replicas();
    if (replica === undefined) throw new Error('the topology has no replica');
    const replicaClient = topo.client(replica);
    const gets = async () =>
      Number(/cmdstat_get:calls=(\d+)/.exec(await replicaClient.info('commandstats'))?.[1] ?? 0);
    // Written by another client: this process's own writes are read from the master for a while.
    const master = getRedisConnection(caches, 'replicaReads');
    await master.set(replicated.makeKey(k), JSON.stringify('via master'));
    await master.wait(1, 5000);
    const before = await gets();
    expect(await replicated.get(k)).toBe('via master');
    expect(await gets()).toBe(before + 1);
    expect(await replicated.getMany([k])).toEqual({ [k]: 'via master' });
  });

  it('reads a key this process wrote from the master for readYourWrites ms, then from the replica again', async () => {
    const own = createCache(
      {
        location: topo.locationFor(0),
        keyPrefix: 'dj',
        options: { password: PASSWORD, readYourWrites: 1000 },
      },
      { alias: 'own' },
    );
    try {
      await pollUntil(
        async () => ((await own.client({ write: false }).call('ROLE')) as unknown[])[0] === 'slave',
        { description: 'the read client to reach the replica' },
      );
      const [replica] = await topo.replicas();
      if (replica === undefined) throw new Error('the topology has no replica');
      const replicaClient = topo.client(replica);
      const replicaReads = async () => {
        const stats = await replicaClient.info('commandstats');
        return ['get', 'mget', 'exists', 'ttl'].reduce(
          (sum, cmd) => sum + Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0),
          0,
        );
      };
      const before = await replicaReads();
      const written = performance.now();
      await own.set(k, 'mine');
      expect(await own.get(k)).toBe('mine');
      expect(await own.getMany([k])).toEqual({ [k]: 'mine' });
      expect(await own.has(k)).toBe(true);
      expect(await own.ttl(k)).toBeGreaterThan(0);
      await own.delete(k);
      expect(await own.get(k)).toBeUndefined();
      expect(performance.now() - written).toBeLessThan(1000);
      expect(await replicaReads()).toBe(before);
      await pollUntil(
        async () => (await own.get('never-written')) === undefined && (await replicaReads()) > before,
        {
          description: 'a read of a key this process did not write to reach the replica',
        },
      );
      const after = await replicaReads();
      await pollUntil(() => performance.now() - written > 1050, { description: 'the window to pass' });
      await own.get(k);
      expect(await replicaReads()).toBe(after + 1);
    } finally {
      await own.close();
    }
  });

  it('connector(alias).sentinels() asks the sentinel port about the master', async () => {
    const info = await caches.connector('default').sentinels().master();
    const master = await topo.master();
    expect(info.port).toBe(master.port);
  });

  it('closing one alias keeps a shared connector open for the others until the last closes', async () => {
    const pair = createCaches({
      a: {
        location: topo.locationFor(0),
        keyPrefix: 'a',
        options: { password: PASSWORD, readFrom: 'master' },
      },
      b: {
        location: topo.locationFor(0),
        keyPrefix: 'b',
        options: { password: PASSWORD, readFrom: 'master' },
      },
    });
    await pair.get('a').set(k, 1);
    const client = pair.get('b').client();
    await pair.get('a').close();
    expect(await pair.get('b').get(k)).toBeUndefined();
    await pair.get('b').close();
    await pollUntil(() => client.status === 'end', {
      description: 'the shared connector to close its master client',
    });
  });
});

describe('createCache', () => {
  it('builds one cache with its own connector, closed by close()', async () => {
    const alone = createCache({
      location: topo.locationFor(1),
      keyPrefix: 'solo',
      options: { password: PASSWORD },
    });
    await alone.set(k, [1, 2]);
    expect(await raw1.get(`solo:1:${k}`)).toBe('[1,2]');
    expect(alone.alias).toBe('default');
    const client = alone.client();
    await alone.close();
    await pollUntil(() => client.status === 'end', { description: 'the cache to close its master client' });
  });
});
