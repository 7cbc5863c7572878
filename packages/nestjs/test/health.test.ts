import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SentinelCacheModule, SentinelHealthIndicator } from '@sentinel-kit/nestjs';
import { startStandalone, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

// Its own topology: the test pauses the master.
let topo: Topology;
let app: INestApplicationContext;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, downAfterMs: 5000 });
  app = await NestFactory.createApplicationContext(
    SentinelCacheModule.forRoot({ caches: { default: { location: topo.location, keyPrefix: 'h' } } }),
    { logger: false, abortOnError: false },
  );
});

afterAll(async () => {
  await topo?.resumeMaster();
  await app?.close();
  await topo?.stop();
});

it('reports a paused master as down within timeoutMs instead of hanging', async () => {
  const health = app.get(SentinelHealthIndicator);
  expect((await health.isHealthy('redis')).redis?.status).toBe('up');
  await topo.pauseMaster();
  const started = Date.now();
  const result = await health.isHealthy('redis', { timeoutMs: 500 });
  expect(Date.now() - started).toBeLessThan(2000);
  expect(result.redis).toMatchObject({ status: 'down', alias: 'default' });
  expect(result.redis?.reason).toMatch(/no answer within 500 ms/);
  await topo.resumeMaster();
  expect((await health.isHealthy('redis')).redis?.status).toBe('up');
});

it('checks only the role for a one-server location, which has no sentinels to ask', async () => {
  const server = await startStandalone();
  const standalone = await NestFactory.createApplicationContext(
    SentinelCacheModule.forRoot({ caches: { default: { location: server.location } } }),
    { logger: false, abortOnError: false },
  );
  try {
    const result = await standalone.get(SentinelHealthIndicator).isHealthy('redis');
    expect(result.redis).toEqual({
      status: 'up',
      alias: 'default',
      master: { address: `${server.host}:${server.port}`, role: 'master' },
    });
  } finally {
    await standalone.close();
    await server.stop();
  }
});
