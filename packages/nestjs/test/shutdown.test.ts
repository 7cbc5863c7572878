import 'reflect-metadata';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Cache } from '@sentinel-kit/core';
import {
  InjectCache,
  InjectRedis,
  type RedisClient,
  SentinelCacheModule,
  SentinelHealthIndicator,
} from '@sentinel-kit/nestjs';
import { startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Cache as CacheManager } from 'cache-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';

// Alone in its file: it counts the process's sockets and timers, which other tests would disturb.
let topo: Topology;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3 });
});

afterAll(async () => {
  await topo?.stop();
});

@Injectable()
class Consumers {
  constructor(
    @InjectCache('hp') readonly hp: Cache,
    @InjectRedis('hp', { write: false }) readonly hpReader: RedisClient,
    @Inject(CACHE_MANAGER) readonly cacheManager: CacheManager,
  ) {}
}

const resources = () =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout').length;

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Polls on setImmediate (not a timer, so polling adds no Timeout) until the count holds for 200 ms. */
async function steadyCount(timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = resources();
  let since = Date.now();
  while (Date.now() < deadline && Date.now() - since < 200) {
    await tick();
    const now = resources();
    if (now !== last) [last, since] = [now, Date.now()];
  }
  return last;
}

/** Polls on setImmediate until the count drops to `target`, or the time is up; returns the last count. */
async function countDropsTo(target: number, timeoutMs = 5000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (resources() > target && Date.now() < deadline) await tick();
  return resources();
}

it('closes every socket and timer it opened on app.close()', async () => {
  const baseline = await steadyCount();
  const moduleRef = await Test.createTestingModule({
    imports: [
      SentinelCacheModule.forRoot({
        caches: {
          default: { location: topo.location, keyPrefix: 'dj' },
          hp: { location: topo.locationFor(1), keyPrefix: 'dj:bi' },
        },
      }),
    ],
    providers: [Consumers],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.enableShutdownHooks();
  await app.init();
  const consumers = app.get(Consumers);
  await consumers.hp.set('x', 1);
  await consumers.hp.get('x');
  await consumers.cacheManager.set('y', 2);
  await app.get(SentinelHealthIndicator).isHealthy('redis');
  expect(resources()).toBeGreaterThan(baseline);

  await app.close();
  expect(await countDropsTo(baseline)).toBe(baseline);
  expect(consumers.hpReader.status).toBe('end');
});
