import 'reflect-metadata';
import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { type INestApplication, Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Cache } from '@sentinel-kit/core';
import { InjectCache, SentinelCacheModule } from '@sentinel-kit/nestjs';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Cache as CacheManager } from 'cache-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let topo: Topology;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3 });
});

afterAll(async () => {
  await topo?.stop();
});

@Injectable()
class Readers {
  constructor(
    @Inject(CACHE_MANAGER) readonly manager: CacheManager,
    @InjectCache() readonly cache: Cache,
    @InjectCache('writer') readonly writer: Cache,
  ) {}
}

/** The near-cache connections (by CLIENT LIST name) open on the master now. */
async function nearConnections(): Promise<number> {
  const list = (await topo.client('master').call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => /name=\S*:near-cache-/.test(line)).length;
}

describe('SentinelCacheModule with nearCache on the default alias', () => {
  let app: INestApplication;
  let readers: Readers;

  beforeAll(async () => {
    const location = topo.location;
    const moduleRef = await Test.createTestingModule({
      imports: [
        SentinelCacheModule.forRoot({
          caches: {
            default: { location, keyPrefix: 'nn', options: { nearCache: true } },
            writer: { location, keyPrefix: 'nn' },
          },
        }),
      ],
      providers: [Readers],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    readers = app.get(Readers);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('CACHE_MANAGER and @InjectCache read from memory, and see a write by another alias within the bound', async () => {
    const { manager, cache, writer } = readers;
    await writer.set('menu', { dish: 'soup' });
    await pollUntil(
      async () => {
        const hits = cache.nearCache?.hits ?? 0;
        return (await manager.get('menu')) !== undefined && (cache.nearCache?.hits ?? 0) > hits;
      },
      { description: 'the near cache to hold menu' },
    );
    const hits = cache.nearCache?.hits ?? 0;
    expect(await manager.get('menu')).toEqual({ dish: 'soup' });
    expect(await cache.get('menu')).toEqual({ dish: 'soup' });
    expect(cache.nearCache?.hits).toBe(hits + 2);

    await writer.set('menu', { dish: 'stew' });
    const ackedAt = Date.now();
    await pollUntil(
      async () => ((await manager.get<{ dish: string }>('menu'))?.dish === 'stew' ? true : undefined),
      {
        description: 'the write to reach CACHE_MANAGER',
        intervalMs: 1,
      },
    );
    expect(Date.now() - ackedAt).toBeLessThanOrEqual(500);
    expect(await cache.get('menu')).toEqual({ dish: 'stew' });
  });

  it('closes its near-cache connections on application shutdown', async () => {
    expect(await nearConnections()).toBe(2);
    await app.close();
    await pollUntil(async () => (await nearConnections()) === 0, {
      description: 'the near-cache connections to close',
    });
  });
});
