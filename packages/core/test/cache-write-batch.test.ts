import { type Cache, createCache } from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** How often the master ran each command since the last CONFIG RESETSTAT, from INFO commandstats. */
async function commandCalls(client: Redis): Promise<Record<string, number>> {
  const info = String(await client.info('commandstats'));
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) {
    calls[match[1] as string] = Number(match[2]);
  }
  return calls;
}

describe('the writes of one turn as one command', () => {
  let topo: Topology;
  let cache: Cache;
  let master: Redis;

  beforeAll(async () => {
    topo = await startTopology({ replicas: 1, sentinels: 3 });
    cache = createCache({ location: topo.location, keyPrefix: 'wb', options: { readFrom: 'master' } });
    master = topo.client(await topo.master());
  });

  afterAll(async () => {
    await cache?.close();
    await topo?.stop();
  });

  it('sends 100 sets issued together as a few script calls, each key with its own value and expiry', async () => {
    await cache.set('warm', 1);
    await master.config('RESETSTAT');
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => cache.set(`k${i}`, { i }, i % 2 === 0 ? 60 : null)),
    );
    expect(results.every((stored) => stored)).toBe(true);
    const calls = await commandCalls(master);
    const scripts = (calls.evalsha ?? 0) + (calls.eval ?? 0);
    expect(scripts).toBeGreaterThan(0);
    // Two halves; on this fresh master each meets NOSCRIPT once and is sent again as the script.
    expect(scripts).toBeLessThanOrEqual(4);
    for (const i of [0, 1, 98, 99]) {
      expect(JSON.parse(String(await master.get(`wb:1:k${i}`)))).toEqual({ i });
      const pttl = await master.pttl(`wb:1:k${i}`);
      if (i % 2 === 0) expect(pttl).toBeGreaterThan(59_000);
      else expect(pttl).toBe(-1);
    }
  });

  it('sends the writes gathered with none on their way as two scripts, in order, each caller its own answer', async () => {
    // Two writes: one script call, so the master knows the script before the count starts.
    await Promise.all([cache.set('half:taken', 'old'), cache.set('half:warm', 1)]);
    await master.config('RESETSTAT');
    // 32 writes: the first and the last to one key, so the last can only win if the halves arrive in
    // order; the two conditional ones, in the second half, each get their own answer.
    const results = await Promise.all([
      cache.set('half:order', 'first'),
      ...Array.from({ length: 28 }, (_, i) => cache.set(`half:${i}`, i)),
      cache.set('half:taken', 'new', undefined, { xx: true }),
      cache.set('half:free', 'new', undefined, { xx: true }),
      cache.set('half:order', 'last'),
    ]);
    const calls = await commandCalls(master);
    expect((calls.evalsha ?? 0) + (calls.eval ?? 0)).toBe(2);
    expect(results.slice(0, 29).every((stored) => stored)).toBe(true);
    expect(results.slice(29)).toEqual([true, false, true]);
    expect(await cache.get('half:order')).toBe('last');
    expect(await cache.getMany(['half:taken', 'half:free', 'half:0', 'half:27'])).toEqual({
      'half:taken': 'new',
      'half:0': 0,
      'half:27': 27,
    });
  });

  it('shares one expiry and condition among a batch: XX sets each get their own answer, each key its expiry', async () => {
    for (let i = 0; i < 20; i += 2) await cache.set(`shared:${i}`, 'old', null);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cache.set(`shared:${i}`, 'new', 60, { xx: true })),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i % 2 === 0));
    for (const i of [0, 1, 18, 19]) {
      expect({ i, value: await cache.get(`shared:${i}`) }).toEqual({
        i,
        value: i % 2 === 0 ? 'new' : undefined,
      });
    }
    expect(await master.pttl('wb:1:shared:18')).toBeGreaterThan(59_000);
  });

  it('sends 15 writes gathered together as one script, below where a split pays', async () => {
    await cache.set('warm', 1);
    await master.config('RESETSTAT');
    await Promise.all(Array.from({ length: 15 }, (_, i) => cache.set(`small:${i}`, i)));
    const calls = await commandCalls(master);
    expect((calls.evalsha ?? 0) + (calls.eval ?? 0)).toBe(1);
  });

  it('gives each caller in a batch its own answer: add() on a taken key is false, on a free one true', async () => {
    await cache.set('taken', 'first');
    const [taken, free, plain] = await Promise.all([
      cache.add('taken', 'second'),
      cache.add('free', 'new'),
      cache.set('plain', 'v'),
    ]);
    expect([taken, free, plain]).toEqual([false, true, true]);
    expect(await cache.get('taken')).toBe('first');
    expect(await cache.get('free')).toBe('new');
  });

  it('applies every condition with and without an expiry, each on a taken and a free key: the sets in one batch, each add on its own', async () => {
    // The adds last: each sends the writes gathered before it first, which would split the batch.
    const cases = ['always', 'xx', 'nx'].flatMap((mode) =>
      [60, null].flatMap((timeout) =>
        ['taken', 'free'].map((state) => ({ mode, timeout, state, key: `mix-${mode}-${timeout}-${state}` })),
      ),
    );
    for (const { key, state } of cases) if (state === 'taken') await cache.set(key, 'old', null);
    await master.config('RESETSTAT');
    const results = await Promise.all(
      cases.map(({ key, mode, timeout }) =>
        cache.set(key, 'new', timeout, { nx: mode === 'nx', xx: mode === 'xx' }),
      ),
    );
    const calls = await commandCalls(master);
    // An add's script records the call's outcome, so it cannot share the batch's script call.
    expect({ batches: calls.evalsha, adds: calls.eval }).toEqual({
      batches: 1,
      adds: cases.filter(({ mode }) => mode === 'nx').length,
    });
    for (const [i, { key, mode, timeout, state }] of cases.entries()) {
      const stored = mode === 'always' || (mode === 'nx') === (state === 'free');
      expect({ key, stored: results[i] }).toEqual({ key, stored });
      expect({ key, value: await cache.get(key) }).toEqual({
        key,
        value: stored ? 'new' : state === 'taken' ? 'old' : undefined,
      });
      const pttl = await master.pttl(`wb:1:${key}`);
      if (stored && timeout !== null) expect({ key, pttl: pttl > 59_000 }).toEqual({ key, pttl: true });
      else if (stored || state === 'taken') expect({ key, pttl }).toEqual({ key, pttl: -1 });
    }
  });

  it('keeps the order of the writes to one key within a batch: the last one wins', async () => {
    await Promise.all([cache.set('order', 1), cache.set('order', 2), cache.set('order', 3)]);
    expect(await cache.get('order')).toBe(3);
  });

  it('sends the gathered sets ahead of a delete, an increment or a master read issued after them', async () => {
    const [, deleted] = await Promise.all([cache.set('seq:a', 'v'), cache.delete('seq:a')]);
    expect(deleted).toBe(true);
    expect(await cache.has('seq:a')).toBe(false);
    const [, incremented] = await Promise.all([cache.set('seq:n', 41), cache.incr('seq:n')]);
    expect(incremented).toBe(42);
    const [, read] = await Promise.all([cache.set('seq:r', 'new'), cache.get('seq:r')]);
    expect(read).toBe('new');
  });

  it('reloads the script on a master that does not know it (NOSCRIPT)', async () => {
    await master.script('FLUSH');
    const stored = await Promise.all([cache.set('reload:a', 'a'), cache.set('reload:b', 'b')]);
    expect(stored).toEqual([true, true]);
    expect(await cache.getMany(['reload:a', 'reload:b'])).toEqual({ 'reload:a': 'a', 'reload:b': 'b' });
  });

  it('setMany stores every entry in one command and reports none failed', async () => {
    await master.config('RESETSTAT');
    const entries = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`many${i}`, i]));
    expect(await cache.setMany(entries, 30)).toEqual([]);
    const calls = await commandCalls(master);
    expect((calls.evalsha ?? 0) + (calls.eval ?? 0)).toBe(1);
    expect(await cache.get('many49')).toBe(49);
  });
});

describe('batched writes through a failover', () => {
  let topo: Topology | undefined;
  let cache: Cache | undefined;
  afterEach(async () => {
    await cache?.close();
    await topo?.stop();
  });

  for (const [event, trigger] of [
    ['SENTINEL FAILOVER', (t: Topology) => t.failover()],
    ['kill -9', (t: Topology) => t.killMaster()],
  ] as const) {
    it(`${event}: every acknowledged set is on the new master, none failed`, async () => {
      topo = await startTopology({ replicas: 2, sentinels: 3, downAfterMs: 1000 });
      const t = topo;
      const c = createCache({ location: t.location, keyPrefix: 'fo', options: { readFrom: 'master' } });
      cache = c;
      const acked: number[] = [];
      const failures: unknown[] = [];
      const pending = new Set<Promise<void>>();
      let next = 0;
      // Ten writes per tick, so the batcher has batches to make.
      const timer = setInterval(() => {
        for (let i = 0; i < 10; i++) {
          const n = next++;
          const write = c.set(`w${n}`, n, null).then(
            () => {
              acked.push(n);
            },
            (error: unknown) => {
              failures.push(error);
            },
          );
          pending.add(write);
          void write.finally(() => pending.delete(write));
        }
      }, 5);
      try {
        await pollUntil(() => acked.length >= 500, { description: '500 writes before the failover' });
        const switched = t.waitForSwitch({ timeoutMs: 30_000 });
        await trigger(t);
        await switched;
        const after = acked.length;
        await pollUntil(() => acked.length >= after + 500, { description: '500 writes after the switch' });
      } finally {
        clearInterval(timer);
        await Promise.all(pending);
      }
      expect(failures).toEqual([]);
      const onMaster = t.client(await t.master());
      const stored = await onMaster.mget(...acked.map((n) => `fo:1:w${n}`));
      const lost = acked.filter((n, i) => stored[i] !== String(n));
      expect(lost).toEqual([]);
    }, 90_000);
  }
});
