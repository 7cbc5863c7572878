import 'reflect-metadata';
import { createRequire } from 'node:module';
import { NestFactory } from '@nestjs/core';
import { startStandalone } from '@sentinel-kit/testkit';
import { expect, it, vi } from 'vitest';

// As if @nestjs/terminus were not installed: any import of it from this package's sources fails.
vi.mock('@nestjs/terminus', () => {
  throw new Error('@nestjs/terminus was imported');
});

it('loads and serves the module, health indicator included, without @nestjs/terminus', async () => {
  const { SentinelCacheModule, SentinelHealthIndicator } = await import('../src/index.js');
  const server = await startStandalone();
  const app = await NestFactory.createApplicationContext(
    SentinelCacheModule.forRoot({ caches: { default: { location: server.location } } }),
    { logger: false, abortOnError: false },
  );
  try {
    expect((await app.get(SentinelHealthIndicator).isHealthy('redis')).redis?.status).toBe('up');
  } finally {
    await app.close();
    await server.stop();
  }
  // Nor did any dependency require() it behind vitest's back.
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((path) =>
    path.includes('@nestjs/terminus'),
  );
  expect(loaded).toEqual([]);
});
