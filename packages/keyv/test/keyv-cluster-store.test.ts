import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite';
import { type Caches, createCaches, keySlot } from '@sentinel-kit/core';
import { createKeyv, KeyvSentinelStore } from '@sentinel-kit/keyv';
import { type Cluster, startCluster } from '@sentinel-kit/testkit';
import { Keyv } from 'keyv';
import * as Vitest from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'kv-cluster';
/** Enough keys that every master holds some of them. */
const KEYS = Array.from({ length: 30 }, (_, i) => `k${i}`);

let cluster: Cluster;
let caches: Caches;

beforeAll(async () => {
  cluster = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD });
  caches = createCaches({
    // Reads from the master: Keyv's contract reads its own writes at once, a replica may lag.
    default: {
      location: cluster.location,
      keyPrefix: 'kv',
      options: { password: PASSWORD, readFrom: 'master' },
    },
    django: { location: cluster.location, keyPrefix: 'dj', options: { password: PASSWORD } },
  });
});

afterAll(async () => {
  await caches?.close();
  await cluster?.stop();
});

/** Sum of a field over every node's INFO section: `errorstat_CROSSSLOT` `count`, `cmdstat_mget` `calls`. */
async function statSum(section: string, entry: string, field: string): Promise<number> {
  const counts = await Promise.all(
    cluster.nodes.map(async (node) => {
      const info = await cluster.client(node).info(section);
      return Number(new RegExp(`${entry}:.*?\\b${field}=(\\d+)`).exec(info)?.[1] ?? 0);
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

const crossSlotErrors = () => statSum('errorstats', 'errorstat_CROSSSLOT', 'count');

const store = () => new KeyvSentinelStore({ caches, alias: 'default' });

describe('@keyv/test-suite (api, values, namespace) on a Redis Cluster alias', () => {
  keyvTestSuite(Vitest, Keyv, store);
});

describe('@keyv/test-suite (iterator) on a Redis Cluster alias', () => {
  keyvIteratorTests(Vitest, Keyv, store);
});

describe('KeyvSentinelStore on a Redis Cluster alias, keys on every master', () => {
  it('the test keys live on every master', () => {
    const shards = new Set(KEYS.map((k) => cluster.shardOf(keySlot(`dj:1:${k}`))));
    expect(shards.size).toBe(3);
  });

  it("a turn's gets go out as one MGET per slot, never across slots", async () => {
    const keyv = createKeyv({ caches, alias: 'django' });
    await Promise.all(KEYS.map((k, i) => keyv.set(k, { i })));
    const [errorsBefore, mgetsBefore] = [
      await crossSlotErrors(),
      await statSum('commandstats', 'cmdstat_mget', 'calls'),
    ];
    const values = await Promise.all([...KEYS, 'missing'].map((k) => keyv.get(k)));
    expect(values).toEqual([...KEYS.map((_, i) => ({ i })), undefined]);
    expect(await crossSlotErrors()).toBe(errorsBefore);
    expect(await statSum('commandstats', 'cmdstat_mget', 'calls')).toBeGreaterThan(mgetsBefore);
  });

  it('getMany, setMany with per-entry ttls, deleteMany and hasMany across slots', async () => {
    const kv = store();
    const errorsBefore = await crossSlotErrors();
    const results = await kv.setMany(
      KEYS.map((key, i) => ({ key: `many:${key}`, value: `v${i}`, ttl: i % 2 ? 60_000 : undefined })),
    );
    expect(results).toEqual(KEYS.map(() => true));
    const found = await kv.getMany<string>([...KEYS.map((k) => `many:${k}`), 'many:missing']);
    expect(found).toEqual([...KEYS.map((_, i) => `v${i}`), undefined]);
    expect(await kv.hasMany(['many:k0', 'many:k1', 'many:missing'])).toEqual([true, true, false]);
    expect(await kv.deleteMany(KEYS.map((k) => `many:${k}`))).toBe(true);
    expect(await kv.getMany(KEYS.map((k) => `many:${k}`))).toEqual(KEYS.map(() => undefined));
    expect(await crossSlotErrors()).toBe(errorsBefore);
  });

  it("iterator and clear see every master and only this namespace's keys", async () => {
    const mine = new Keyv({ store: store(), namespace: 'mine' });
    const other = new Keyv({ store: store(), namespace: 'other' });
    await Promise.all(KEYS.map((k) => mine.set(k, k)));
    await other.set('kept', 'yes');
    const seen: string[] = [];
    for await (const [key, value] of mine.iterator?.(undefined) ?? []) {
      expect(value).toBe(key);
      seen.push(key as string);
    }
    expect(seen.sort()).toEqual([...KEYS].sort());
    await mine.clear();
    expect(await Promise.all(KEYS.map((k) => mine.get(k)))).toEqual(KEYS.map(() => undefined));
    expect(await other.get('kept')).toBe('yes');
  });
});
