import { type Cache, createCache } from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type OtelSdk, registerOtelSdk } from './otel-sdk.js';

let topo: Topology;
let cache: Cache;
let sdk: OtelSdk;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3 });
  sdk = registerOtelSdk();
  cache = createCache({ location: topo.location, keyPrefix: 'otel-fo' }, { alias: 'hp' });
});

afterAll(async () => {
  await cache?.close();
  await sdk?.stop();
  await topo?.stop();
});

it('a real SENTINEL FAILOVER: one failover, the hold and the resume in seconds, and spans of held writes say so', async () => {
  const masterName = { 'sentinel_kit.master.name': topo.masterName };
  let acked = 0;
  const failures: unknown[] = [];
  const pending = new Set<Promise<void>>();
  let next = 0;
  const timer = setInterval(() => {
    const write = cache.set(`w${next++}`, 1).then(
      () => {
        acked++;
      },
      (error: unknown) => {
        failures.push(error);
      },
    );
    pending.add(write);
    void write.finally(() => pending.delete(write));
  }, 2);
  try {
    await pollUntil(() => acked >= 50, { description: '50 writes before the failover' });
    const switched = topo.waitForSwitch();
    await topo.failover();
    await switched;
    const after = acked;
    await pollUntil(() => acked >= after + 50, { description: '50 writes after the switch' });
  } finally {
    clearInterval(timer);
    await Promise.all(pending);
  }
  expect(failures).toEqual([]);

  expect(await sdk.count('sentinel_kit.failovers', { ...masterName, 'sentinel_kit.cache.alias': 'hp' })).toBe(
    1,
  );
  for (const name of ['sentinel_kit.failover.hold.duration', 'sentinel_kit.failover.resume.duration']) {
    const { unit, points } = await sdk.histogram(name, masterName);
    expect(unit).toBe('s');
    expect(points.map((p) => p.value.count)).toEqual([1]);
    const seconds = points[0]?.value.sum ?? 0;
    // In seconds, not milliseconds: a graceful failover holds writes for well under a minute.
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(30);
  }
  const held = sdk
    .spans()
    .filter(
      (span) => span.name === 'cache.set' && span.events.some((e) => e.name === 'sentinel_kit.failover.held'),
    );
  expect(held.length).toBeGreaterThan(0);
  const waited = held.map(
    (span) =>
      span.events.find((e) => e.name === 'sentinel_kit.failover.held')?.attributes?.[
        'sentinel_kit.failover.hold.duration'
      ],
  );
  for (const seconds of waited) expect(seconds).toBeGreaterThan(0);
  // Writes after the switch answer from the new master, and were not held.
  const newMaster = await topo.master();
  const last = sdk
    .spans()
    .filter((span) => span.name === 'cache.set')
    .at(-1);
  expect(last?.attributes['server.port']).toBe(newMaster.port);
  expect(last?.events).toEqual([]);
  expect(
    await sdk.count('sentinel_kit.cache.operations', {
      'sentinel_kit.cache.operation': 'set',
      'sentinel_kit.cache.result': 'ok',
    }),
  ).toBe(acked);
}, 90_000);
