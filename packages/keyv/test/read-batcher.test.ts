import { type Caches, createCaches } from '@sentinel-kit/core';
import { createKeyv, KeyvSentinelStore } from '@sentinel-kit/keyv';
import { startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let topo: Topology;
let caches: Caches;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3 });
  caches = createCaches({
    default: { location: topo.location, keyPrefix: 'tb', options: { readFrom: 'master' } },
  });
});

afterAll(async () => {
  await caches?.close();
  await topo?.stop();
});

/** Calls of `command` the master has served so far, from INFO commandstats. */
async function calls(command: string): Promise<number> {
  const info = await topo.client('master').info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

describe('KeyvSentinelStore read batching (ReadBatcher)', () => {
  it("sends one turn's gets as two MGET halves, with each caller's value, and each set on its own", async () => {
    const keyv = createKeyv({ caches });
    const keys = Array.from({ length: 20 }, (_, i) => `b${i}`);
    const [mgetBefore, getBefore] = [await calls('mget'), await calls('get')];
    const setBefore = await calls('set');
    const stored = await Promise.all(keys.map((key, i) => keyv.set(key, { i })));
    expect(stored.every(Boolean)).toBe(true);
    expect((await calls('set')) - setBefore).toBe(20);
    const values = await Promise.all(keys.map((key) => keyv.get(key)));
    expect(values).toEqual(keys.map((_, i) => ({ i })));
    expect((await calls('mget')) - mgetBefore).toBe(2);
    expect((await calls('get')) - getBefore).toBe(0);
  });

  it("sends a small turn's gets as one MGET", async () => {
    const keyv = createKeyv({ caches });
    const [mgetBefore, getBefore] = [await calls('mget'), await calls('get')];
    await Promise.all(['b1', 'b2', 'b3', 'b4', 'b5', 'b6'].map((key) => keyv.get(key)));
    expect((await calls('mget')) - mgetBefore).toBe(1);
    expect((await calls('get')) - getBefore).toBe(0);
  });

  it('with batchReads: false sends every get on its own', async () => {
    const keyv = createKeyv({ caches, batchReads: false });
    const [mgetBefore, getBefore] = [await calls('mget'), await calls('get')];
    await Promise.all(['b1', 'b2', 'b3'].map((key) => keyv.get(key)));
    expect((await calls('mget')) - mgetBefore).toBe(0);
    expect((await calls('get')) - getBefore).toBe(3);
  });

  it('keeps the call order of writes within a turn', async () => {
    // On the store itself: Keyv's own set() awaits its serializer before reaching the store, so
    // keyv.set(); keyv.delete() reach any store in the opposite order.
    const store = new KeyvSentinelStore({ caches, valueFormat: 'django' });
    const cache = caches.get('default');
    await Promise.all([
      store.set('o1', { value: 'first' }),
      store.delete('o1'),
      store.set('o2', { value: 'a' }),
      store.set('o2', { value: 'b' }),
    ]);
    expect(await cache.get('o1')).toBeUndefined();
    expect(await cache.get('o2')).toBe('b');
    await Promise.all([store.delete('o3'), store.set('o3', { value: 'kept' })]);
    expect(await cache.get('o3')).toBe('kept');
  });

  it('gives each set of a turn its own expiry', async () => {
    const keyv = createKeyv({ caches });
    await Promise.all([keyv.set('t1', 1, 10_000), keyv.set('t2', 2, 20_000), keyv.set('t3', 3)]);
    const master = topo.client('master');
    expect(await master.ttl('tb:1:t1')).toBe(10);
    expect(await master.ttl('tb:1:t2')).toBe(20);
    expect(await master.ttl('tb:1:t3')).toBe(-1);
  });

  it('answers duplicate keys in one batch to every caller', async () => {
    const keyv = createKeyv({ caches });
    await keyv.set('dup', 'same');
    expect(await Promise.all([keyv.get('dup'), keyv.get('dup'), keyv.get('missing-dup')])).toEqual([
      'same',
      'same',
      undefined,
    ]);
  });

  it('fails only the get of an undecodable value, not the others batched with it', async () => {
    const keyv = createKeyv({ caches });
    await keyv.set('good', 'fine');
    await topo.client('master').set('tb:1:bad', '{not json');
    const [good, bad] = await Promise.allSettled([keyv.get('good'), keyv.get('bad')]);
    expect(good).toEqual({ status: 'fulfilled', value: 'fine' });
    expect(bad.status).toBe('rejected');
  });

  it('sends a batch at maxReadBatch without waiting for the turn to end', async () => {
    const keyv = createKeyv({ caches, maxReadBatch: 5 });
    const mgetBefore = await calls('mget');
    await Promise.all(Array.from({ length: 12 }, (_, i) => keyv.get(`b${i}`)));
    // 12 gets at 5 per batch: two full batches of 5, then 2 at the end of the turn.
    expect((await calls('mget')) - mgetBefore).toBe(3);
  });
});
