import { type Caches, createCaches } from '@sentinel-kit/core';
import { createKeyv, timeoutToTtl } from '@sentinel-kit/keyv';
import { type Standalone, startStandalone } from '@sentinel-kit/testkit';
import { createCache } from 'cache-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's quick start: cache-manager 7 over createKeyv, no Nest anywhere.
let server: Standalone;
let caches: Caches;
let redis: ReturnType<Standalone['client']>;

beforeAll(async () => {
  server = await startStandalone();
  redis = server.client();
  caches = createCaches({ default: { location: server.location, keyPrefix: 'dj', timeout: 120 } });
});

afterAll(async () => {
  await caches?.close();
  await server?.stop();
});

describe('cache-manager 7 on createKeyv', () => {
  it('writes the key and bytes Cache.set writes, and reads what Cache.set wrote', async () => {
    const cache = createCache({ stores: [createKeyv({ caches, alias: 'default' })] });
    await cache.set('greeting', { text: 'hi' }, 60_000);
    expect(await redis.get('dj:1:greeting')).toBe('{"text":"hi"}');
    expect(await redis.ttl('dj:1:greeting')).toBe(60);
    expect(await caches.get('default').get('greeting')).toEqual({ text: 'hi' });
    await caches.get('default').set('direct', 7);
    expect(await cache.get('direct')).toBe(7);
  });

  it('stores a set without ttl forever, ignoring the cache default timeout', async () => {
    const cache = createCache({ stores: [createKeyv({ caches })] });
    await cache.set('forever', 'v');
    expect(await redis.pttl('dj:1:forever')).toBe(-1);
  });

  it("takes the alias's Django timeout as its default ttl through timeoutToTtl", async () => {
    const ttl = timeoutToTtl(caches.get('default').defaultTimeout);
    const cache = createCache({ stores: [createKeyv({ caches })], ...(ttl === undefined ? {} : { ttl }) });
    await cache.set('timed', 'v');
    const seconds = await redis.ttl('dj:1:timed');
    expect(seconds).toBeGreaterThan(115);
    expect(seconds).toBeLessThanOrEqual(120);
  });
});
