import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import { type Caches, createCaches, UnknownCacheAliasError } from '@sentinel-kit/core';
import { createKeyv, KeyvSentinelStore, KeyvSerializedValueError } from '@sentinel-kit/keyv';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { Keyv } from 'keyv';
import * as Vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let topo: Topology;
let caches: Caches;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, password: 'kv-secret' });
  caches = createCaches({
    // Reads from the master: Keyv's contract reads its own writes at once, a replica may lag.
    default: {
      location: topo.location,
      keyPrefix: 'kv',
      options: { password: 'kv-secret', readFrom: 'master' },
    },
    django: {
      location: topo.location,
      keyPrefix: 'dj',
      timeout: 300,
      options: { password: 'kv-secret', readFrom: 'master' },
    },
  });
});

afterAll(async () => {
  await caches?.close();
  await topo?.stop();
});

const store = () => new KeyvSentinelStore({ caches, alias: 'default' });

describe('@keyv/test-suite (api, values, namespace) on a real sentinel topology', () => {
  keyvTestSuite(Vitest, Keyv, store);
});

describe('@keyv/test-suite (iterator) on a real sentinel topology', () => {
  keyvIteratorTests(Vitest, Keyv, store);
});

describe("valueFormat 'django' (createKeyv): one cache, two APIs", () => {
  it('writes the same Redis key and bytes as Cache.set, with no Keyv namespace or envelope', async () => {
    const keyv = createKeyv({ caches, alias: 'django' });
    const cache = caches.get('django');
    const master = topo.client('master');
    await keyv.set('profile', { name: 'ada', tags: ['x'] });
    await cache.set('profile-direct', { name: 'ada', tags: ['x'] }, null);
    expect(await master.get('dj:1:profile')).toBe('{"name":"ada","tags":["x"]}');
    expect(await master.get('dj:1:profile')).toBe(await master.get('dj:1:profile-direct'));
    expect(await cache.get('profile')).toEqual({ name: 'ada', tags: ['x'] });
    expect(await keyv.get('profile-direct')).toEqual({ name: 'ada', tags: ['x'] });
  });

  it('stores integers as Redis integers, so Cache.incr works on what Keyv wrote', async () => {
    const keyv = createKeyv({ caches, alias: 'django' });
    await keyv.set('hits', 41);
    expect(await topo.client('master').get('dj:1:hits')).toBe('41');
    expect(await caches.get('django').incr('hits')).toBe(42);
    expect(await keyv.get('hits')).toBe(42);
  });

  it('stores a Keyv ttl in milliseconds exactly (PX), not rounded to seconds', async () => {
    const keyv = createKeyv({ caches, alias: 'django' });
    const master = topo.client('master');
    for (const ttl of [1500, 1001, 500]) {
      await keyv.set(`short-${ttl}`, 'v', ttl);
      const pttl = await master.pttl(`dj:1:short-${ttl}`);
      expect(pttl).toBeGreaterThan(ttl - 100);
      expect(pttl).toBeLessThanOrEqual(ttl);
    }
    await pollUntil(async () => (await keyv.get('short-500')) === undefined, {
      description: 'a 500 ms value to expire',
      timeoutMs: 900,
      intervalMs: 20,
    });
  });

  it('stores a Keyv ttl of 0 or none forever, ignoring the cache default of 300 s', async () => {
    const keyv = createKeyv({ caches, alias: 'django' });
    const master = topo.client('master');
    await keyv.set('forever-0', 'v', 0);
    await keyv.set('forever-none', 'v');
    expect(await master.pttl('dj:1:forever-0')).toBe(-1);
    expect(await master.pttl('dj:1:forever-none')).toBe(-1);
  });

  it('deletes instead of storing when the ttl is negative (already expired)', async () => {
    const keyv = createKeyv({ caches, alias: 'django' });
    await keyv.set('gone', 'old');
    await keyv.set('gone', 'new', -1);
    expect(await topo.client('master').exists('dj:1:gone')).toBe(0);
  });

  it("clear() removes this cache's keys and leaves other prefixes alone", async () => {
    const keyv = createKeyv({ caches, alias: 'django' });
    await keyv.set('a', 1);
    await caches.get('default').set('keep', 'me', null);
    await keyv.clear();
    expect(await keyv.get('a')).toBeUndefined();
    expect(await caches.get('default').get('keep')).toBe('me');
  });

  it("iterates the user's keys and values", async () => {
    const keyv = createKeyv({ caches, alias: 'django' });
    await keyv.clear();
    await keyv.set('i1', 'one');
    await keyv.set('i2', { two: 2 });
    const seen: Record<string, unknown> = {};
    for await (const [key, value] of keyv.iterator?.(undefined) ?? []) seen[key as string] = value;
    expect(seen).toEqual({ i1: 'one', i2: { two: 2 } });
  });

  it('rejects values Keyv already serialized, naming the option to fix', async () => {
    const keyv = new Keyv({
      store: new KeyvSentinelStore({ caches, alias: 'django', valueFormat: 'django' }),
      throwOnErrors: true,
    });
    const error = await keyv.set('k', 'v').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyvSerializedValueError);
    expect((error as KeyvSerializedValueError).code).toBe('ERR_KEYV_SERIALIZED_VALUE');
    expect((error as Error).message).toMatch(/serialize: undefined/);
  });
});

describe('construction', () => {
  it('names the configured aliases when { caches, alias } names an unknown one', () => {
    expect(() => new KeyvSentinelStore({ caches, alias: 'nope' })).toThrow(UnknownCacheAliasError);
    expect(() => new KeyvSentinelStore({ caches, alias: 'nope' })).toThrow(/"default", "django"/);
  });
});

describe("valueFormat 'keyv' (the default)", () => {
  it("keeps Keyv's serialized text under the cache key and namespace", async () => {
    const keyv = new Keyv({ store: new KeyvSentinelStore({ cache: caches.get('default') }) });
    await keyv.set('env', 'x', 60_000);
    const raw = await topo.client('master').get('kv:1:keyv:env');
    expect(raw).not.toBeNull();
    expect(JSON.parse(JSON.parse(raw as string) as string)).toMatchObject({ value: 'x' });
    expect(await topo.client('master').ttl('kv:1:keyv:env')).toBe(60);
  });
});
