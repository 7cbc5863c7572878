import { randomUUID } from 'node:crypto';
import { type Caches, createCaches, getRedisConnection } from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DjangoProcess } from './django/django-process.js';

// Django 3.2 + django-redis 5.2 (SentinelClient) + redis-py 4.3 from Debian, against the same
// sentinel topology and the reference CACHES layout: default = prefix dj on db 0, hp = prefix
// dj:bi on db 1, JSON serializer; zipped adds the zlib compressor, gz upstream's gzip compressor,
// mp swaps in the msgpack serializer.
const PASSWORD = 'interop-pw';

let topo: Topology;
let django: DjangoProcess;
let caches: Caches;
let raw0: Redis;
let raw1: Redis;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, password: PASSWORD });
  const options = { password: PASSWORD, readFrom: 'master' as const };
  caches = createCaches({
    default: { location: topo.locationFor(0), keyPrefix: 'dj', options },
    hp: { location: topo.locationFor(1), keyPrefix: 'dj:bi', options },
    zipped: { location: topo.locationFor(0), keyPrefix: 'zip', options: { ...options, compressor: 'zlib' } },
    gz: { location: topo.locationFor(0), keyPrefix: 'gz', options: { ...options, compressor: 'gzip' } },
    mp: { location: topo.locationFor(0), keyPrefix: 'mp', options: { ...options, serializer: 'msgpack' } },
    near: {
      location: topo.locationFor(0),
      keyPrefix: 'dj',
      options: { password: PASSWORD, nearCache: true },
    },
  });
  raw0 = topo.client('master', { db: 0 });
  raw1 = topo.client('master', { db: 1 });
  django = await DjangoProcess.start(topo);
}, 60_000);

afterAll(async () => {
  await django?.stop();
  await caches?.close();
  await topo?.stop();
});

let k: string;
beforeEach(() => {
  k = `i-${randomUUID().slice(0, 8)}`;
});

/** Reads `key` through `alias` until a read is answered from its near cache with `value`. */
async function heldInMemory(alias: string, key: string, value: unknown): Promise<void> {
  const cache = caches.get(alias);
  await pollUntil(
    async () => {
      const hits = cache.nearCache?.hits ?? 0;
      const got = await cache.get(key);
      return JSON.stringify(got) === JSON.stringify(value) && (cache.nearCache?.hits ?? 0) > hits;
    },
    { description: `the near cache to hold ${key}` },
  );
}

/** Django reads from a replica: wait until the master's writes so far have reached it. */
async function replicated(alias = 'default'): Promise<void> {
  await getRedisConnection(caches, alias).wait(1, 5000);
}

const values: [string, unknown][] = [
  ['an int', 133],
  ['a negative int', -42],
  ['a string', 'héllo wörld'],
  ['a digit string', '133'],
  ['a float', 2.5],
  ['a bool', true],
  ['null', null],
  ['a dict', { name: 'Zoë', nested: { list: [1, 2, { x: null }] }, ok: false }],
  ['a list', [1, 'two', 3.5, [4], { five: 5 }]],
];

describe.each(['default', 'hp', 'zipped', 'gz', 'mp'])('alias %s', (alias) => {
  it.each(values)('Node writes %s, Django reads it', async (_, value) => {
    const big = alias === 'zipped' || alias === 'gz';
    const stored =
      big && typeof value === 'object' && value !== null ? { value, pad: 'x'.repeat(200) } : value;
    await caches.get(alias).set(k, stored);
    await replicated(alias);
    expect(await django.call(alias, 'get', [k])).toEqual(stored);
  });

  it.each(values)('Django writes %s, Node reads it', async (_, value) => {
    const big = alias === 'zipped' || alias === 'gz';
    const stored =
      big && typeof value === 'object' && value !== null ? { value, pad: 'x'.repeat(200) } : value;
    await django.call(alias, 'set', [k, stored]);
    expect(await caches.get(alias).get(k, 'missing')).toEqual(stored);
  });
});

describe('containers', () => {
  it('a long value Node writes through zlib is a zlib container Django decompresses, and back', async () => {
    const long = { text: 'compress me '.repeat(50) };
    await caches.get('zipped').set(k, long);
    expect((await raw0.getBuffer(`zip:1:${k}`))?.[0]).toBe(0x78);
    await replicated();
    expect(await django.call('zipped', 'get', [k])).toEqual(long);
    await django.call('zipped', 'set', [`${k}-py`, long]);
    expect((await raw0.getBuffer(`zip:1:${k}-py`))?.[0]).toBe(0x78);
    expect(await caches.get('zipped').get(`${k}-py`)).toEqual(long);
  });

  it('a long value through gzip is a gzip member both sides read', async () => {
    const long = { text: 'gzip me '.repeat(50) };
    await caches.get('gz').set(k, long);
    const stored = await raw0.getBuffer(`gz:1:${k}`);
    expect([stored?.[0], stored?.[1]]).toEqual([0x1f, 0x8b]);
    await replicated();
    expect(await django.call('gz', 'get', [k])).toEqual(long);
    await django.call('gz', 'set', [`${k}-py`, long]);
    expect(await caches.get('gz').get(`${k}-py`)).toEqual(long);
  });
});

describe('integers and incr across sides', () => {
  it('133 set by Node on hp is an int Django increments, and Node sees it', async () => {
    await caches.get('hp').set('code', 133);
    expect(await raw1.object('ENCODING', 'dj:bi:1:code')).toBe('int');
    await replicated('hp');
    expect(await django.call('hp', 'get', ['code'])).toBe(133);
    expect(await django.call('hp', 'incr', ['code'])).toBe(134);
    expect(await caches.get('hp').incr('code', 10)).toBe(144);
    expect(await django.call('hp', 'incr', ['code', 1])).toBe(145);
    expect(await caches.get('hp').get('code')).toBe(145);
  });

  it('Django incr on a key Node never set raises, like Node KeyNotFoundError', async () => {
    await expect(django.call('default', 'incr', [k])).rejects.toThrow(/ValueError/);
    await expect(caches.default.incr(k)).rejects.toMatchObject({ code: 'ERR_KEY_NOT_FOUND' });
  });

  it('Django decr on a Node-set int, Node decr on a Django-set int', async () => {
    await caches.default.set(k, 10);
    expect(await django.call('default', 'decr', [k, 3])).toBe(7);
    await django.call('default', 'set', [`${k}-py`, 10]);
    expect(await raw0.object('ENCODING', `dj:1:${k}-py`)).toBe('int');
    expect(await caches.default.decr(`${k}-py`, 4)).toBe(6);
    expect(await raw0.get(`dj:1:${k}-py`)).toBe('6');
  });
});

describe('versions', () => {
  it('a key set at version 2 by one side is read at version 2 by the other', async () => {
    await caches.default.set(k, 'node v2', null, { version: 2 });
    await replicated();
    expect(await django.call('default', 'get', [k], { version: 2 })).toBe('node v2');
    expect(await django.call('default', 'get', [k])).toBeNull();
    await django.call('default', 'set', [`${k}-py`, 'django v3'], { version: 3 });
    expect(await caches.default.get(`${k}-py`, undefined, { version: 3 })).toBe('django v3');
  });

  it('incr_version on one side moves the key the other side reads', async () => {
    await caches.default.set(k, { moved: true });
    expect(await django.call('default', 'incr_version', [k])).toBe(2);
    expect(await caches.default.get(k, undefined, { version: 2 })).toEqual({ moved: true });
    expect(await caches.default.incrVersion(k, 1, { version: 2 })).toBe(3);
    await replicated();
    expect(await django.call('default', 'get', [k], { version: 3 })).toEqual({ moved: true });
    expect(await django.call('default', 'get', [k], { version: 2 })).toBeNull();
  });
});

describe('timeouts', () => {
  it('a Node timeout is the TTL Django reports, and the other way', async () => {
    await caches.default.set(k, 'x', 100);
    await replicated();
    const pyTtl = await django.call<number>('default', 'ttl', [k]);
    expect(pyTtl).toBeGreaterThan(95);
    expect(pyTtl).toBeLessThanOrEqual(100);
    await django.call('default', 'set', [`${k}-py`, 'y', 50]);
    const ttl = await caches.default.ttl(`${k}-py`);
    expect(ttl).toBeGreaterThan(45);
    expect(ttl).toBeLessThanOrEqual(50);
  });

  it('persistent and missing keys report None/null and 0 on both sides', async () => {
    await caches.default.set(k, 'forever', null);
    await replicated();
    expect(await django.call('default', 'ttl', [k])).toBeNull();
    expect(await django.call('default', 'ttl', [`${k}-missing`])).toBe(0);
    await django.call('default', 'set', [`${k}-py`, 'forever'], { timeout: null });
    expect(await caches.default.ttl(`${k}-py`)).toBeNull();
    expect(await caches.default.ttl(`${k}-missing`)).toBe(0);
  });

  it('the default timeout is 300 s on both sides', async () => {
    await caches.default.set(k, 1);
    await django.call('default', 'set', [`${k}-py`, 1]);
    await replicated();
    expect(await django.call('default', 'ttl', [k])).toBeGreaterThan(295);
    expect(await caches.default.ttl(`${k}-py`)).toBeGreaterThan(295);
  });
});

describe('deletes and get_many', () => {
  it('a delete on one side is a miss on the other', async () => {
    await django.call('default', 'set', [k, 'django']);
    expect(await caches.default.delete(k)).toBe(true);
    await replicated();
    expect(await django.call('default', 'get', [k])).toBeNull();
    await caches.default.set(`${k}-node`, 'node');
    await django.call('default', 'delete', [`${k}-node`]);
    expect(await caches.default.get(`${k}-node`)).toBeUndefined();
  });

  it('get_many / getMany read what the other side wrote with set_many / setMany', async () => {
    await caches.default.setMany({ [`${k}a`]: 1, [`${k}b`]: { b: [2] }, [`${k}c`]: 'c' });
    await replicated();
    expect(await django.call('default', 'get_many', [[`${k}a`, `${k}b`, `${k}c`, `${k}-none`]])).toEqual({
      [`${k}a`]: 1,
      [`${k}b`]: { b: [2] },
      [`${k}c`]: 'c',
    });
    await django.call('default', 'set_many', [{ [`${k}x`]: 7, [`${k}y`]: [8, 9] }]);
    expect(await caches.default.getMany([`${k}x`, `${k}y`, `${k}-none`])).toEqual({
      [`${k}x`]: 7,
      [`${k}y`]: [8, 9],
    });
  });

  it('keys written by Django come back from keys() as user keys', async () => {
    await django.call('hp', 'set_many', [{ [`${k}:1`]: 1, [`${k}:2`]: 2 }]);
    expect((await caches.get('hp').keys(`${k}:*`)).sort()).toEqual([`${k}:1`, `${k}:2`]);
  });

  it('Node clear() of prefix dj leaves what Django stored under dj:bi and zip alone', async () => {
    const own = `${k}-clear`;
    await django.call('default', 'set', [own, 1]);
    await raw0.set(`dj:bi:1:${own}`, '1');
    await django.call('zipped', 'set', [own, 1]);
    await caches.default.clear();
    expect(await raw0.exists(`dj:1:${own}`)).toBe(0);
    expect(await raw0.exists(`dj:bi:1:${own}`, `zip:1:${own}`)).toBe(2);
  });
});

describe('a near cache shared with Django', () => {
  it('sees each write Django makes within the staleness bound, though it held the old value', async () => {
    await django.call('default', 'set', [k, { round: 0 }]);
    await heldInMemory('near', k, { round: 0 });
    for (let round = 1; round <= 5; round++) {
      await django.call('default', 'set', [k, { round }]);
      const ackedAt = Date.now();
      await pollUntil(
        async () =>
          (await caches.get('near').get<{ round: number }>(k))?.round === round ? true : undefined,
        {
          description: `Django's write ${round} to reach the near cache`,
          intervalMs: 1,
          timeoutMs: 5_000,
        },
      );
      expect(Date.now() - ackedAt).toBeLessThanOrEqual(500);
      await heldInMemory('near', k, { round });
    }
  });
});
