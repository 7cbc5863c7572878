import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Caches, createCaches } from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { NearWriter } from './near-writer.js';

/** Milliseconds within which a write by another process must reach the near cache (loaded CI). */
const STALENESS_BOUND_MS = 500;

/**
 * A test's limit, in milliseconds: above the 30 s its wait for the switch may take (sentinels retry
 * an election that split after twice their failover-timeout) plus the start and the checks after.
 */
const FAILOVER_TEST_MS = 60_000;

let topo: Topology | undefined;
let caches: Caches | undefined;
let writer: NearWriter | undefined;

afterEach(async () => {
  await writer?.stop();
  await caches?.close();
  await topo?.resumeMaster();
  await topo?.stop();
  writer = undefined;
  caches = undefined;
  topo = undefined;
});

/**
 * The near cache holds `hot` = v0 and keeps reading it in a loop while `trigger` moves the master.
 * Once the connector reports the switch, a write straight to the new master must be what every
 * read returns from then on (no stale read after the flush), and a write by another process must
 * reach the near cache again within the bound (it is linked again on the new master).
 */
async function rideFailover(trigger: (topo: Topology) => Promise<unknown>): Promise<void> {
  topo = await startTopology({ replicas: 2, sentinels: 3 });
  caches = createCaches({
    default: { location: topo.location, keyPrefix: 'ncf', timeout: null, options: { nearCache: true } },
  });
  const cache = caches.default;
  writer = await NearWriter.start({ location: topo.location, keyPrefix: 'ncf' });
  await writer.set('hot', 'v0');
  await pollUntil(
    async () => {
      const hits = cache.nearCache?.hits ?? 0;
      return (await cache.get('hot')) === 'v0' && (cache.nearCache?.hits ?? 0) > hits;
    },
    { description: 'the near cache to hold hot' },
  );
  let switched: { host: string; port: number } | undefined;
  caches.connector('default').on('failover', (event) => {
    switched = event.to;
  });
  const flushes = cache.nearCache?.flushes ?? 0;
  const reads: { value: unknown; afterSwitch: boolean }[] = [];
  let reading = true;
  const loop = (async () => {
    while (reading) {
      const afterSwitch = switched !== undefined;
      reads.push({ value: await cache.get('hot'), afterSwitch });
      // A hit settles without I/O: without a turn of the event loop nothing else would run.
      await nextTurn();
    }
  })();
  await trigger(topo);
  await pollUntil(() => switched, { description: 'the connector to report the switch', timeoutMs: 30_000 });
  const to = switched as { host: string; port: number };
  const direct = new Redis({ host: to.host, port: to.port, lazyConnect: true });
  try {
    await direct.set('ncf:1:hot', '"v1"');
  } finally {
    direct.disconnect();
  }
  const wroteAt = reads.length;
  // Reads issued after the write was acknowledged on the new master.
  await pollUntil(() => reads.length >= wroteAt + 50, { description: 'fifty reads after the write' });
  reading = false;
  await loop;
  const after = reads.slice(wroteAt + 1);
  expect(after.filter((read) => read.value !== 'v1')).toEqual([]);
  expect(cache.nearCache?.flushes).toBeGreaterThan(flushes);

  // Linked again on the new master: answered from memory, and kept true by invalidations.
  await pollUntil(
    async () => {
      const hits = cache.nearCache?.hits ?? 0;
      return (await cache.get('hot')) === 'v1' && (cache.nearCache?.hits ?? 0) > hits;
    },
    { description: 'the near cache to hold hot on the new master', timeoutMs: 10_000 },
  );
  const ackedAt = await writer.set('hot', 'v2');
  await pollUntil(async () => (await cache.get('hot')) === 'v2', {
    description: 'the write after the failover to reach the near cache',
    intervalMs: 1,
    timeoutMs: 10_000,
  });
  expect(Date.now() - ackedAt).toBeLessThanOrEqual(STALENESS_BOUND_MS);
}

describe('near cache across a failover', () => {
  it(
    'kill -9 of the master: flushed, no stale read after the switch, linked again',
    async () => {
      await rideFailover((t) => t.killMaster());
    },
    FAILOVER_TEST_MS,
  );

  it(
    'SENTINEL FAILOVER: flushed, no stale read after the switch, linked again',
    async () => {
      await rideFailover((t) => t.failover());
    },
    FAILOVER_TEST_MS,
  );

  it(
    'SIGSTOP of the master: flushed, no stale read after the switch, linked again',
    async () => {
      await rideFailover((t) => t.pauseMaster());
    },
    FAILOVER_TEST_MS,
  );
});
