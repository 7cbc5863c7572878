import { type Caches, createCaches } from '@sentinel-kit/core';
import { createKeyv } from '@sentinel-kit/keyv';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { createCache } from 'cache-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let topo: Topology;
let caches: Caches;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3 });
  caches = createCaches({
    near: { location: topo.location, keyPrefix: 'kn', options: { nearCache: true } },
    plain: { location: topo.location, keyPrefix: 'kn' },
  });
});

afterAll(async () => {
  await caches?.close();
  await topo?.stop();
});

/** GETs and MGETs the master has served so far, from INFO commandstats. */
async function reads(): Promise<number> {
  const info = await topo.client('master').info('commandstats');
  const calls = (command: string) =>
    Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return calls('get') + calls('mget');
}

describe('the Keyv store and cache-manager on an alias with a near cache', () => {
  it('answer reads from memory, and see a write by another client within milliseconds', async () => {
    const near = caches.get('near');
    const manager = createCache({ stores: [createKeyv({ caches, alias: 'near' })] });
    const writer = createCache({ stores: [createKeyv({ caches, alias: 'plain' })] });
    await writer.set('page', { v: 1 });
    await pollUntil(
      async () => {
        const hits = near.nearCache?.hits ?? 0;
        return (await manager.get('page')) !== undefined && (near.nearCache?.hits ?? 0) > hits;
      },
      { description: 'the near cache to hold page' },
    );
    const before = await reads();
    const values = await Promise.all(Array.from({ length: 50 }, () => manager.get('page')));
    expect(values).toEqual(Array.from({ length: 50 }, () => ({ v: 1 })));
    expect((await reads()) - before).toBe(0);

    await writer.set('page', { v: 2 });
    const ackedAt = Date.now();
    await pollUntil(async () => ((await manager.get<{ v: number }>('page'))?.v === 2 ? true : undefined), {
      description: 'the write to reach the near cache',
      intervalMs: 1,
    });
    expect(Date.now() - ackedAt).toBeLessThanOrEqual(500);
  });
});
