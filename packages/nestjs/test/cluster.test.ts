import 'reflect-metadata';
import { CACHE_MANAGER, CacheInterceptor, CacheTTL } from '@nestjs/cache-manager';
import { Controller, Get, type INestApplication, Inject, Injectable, UseInterceptors } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type Cache, ClusterConnector, keySlot, UnsupportedLocationError } from '@sentinel-kit/core';
import {
  CachesService,
  InjectCache,
  InjectCacheManager,
  InjectRedis,
  type RedisClient,
  SentinelCacheModule,
  SentinelHealthIndicator,
} from '@sentinel-kit/nestjs';
import { type Cluster, startCluster } from '@sentinel-kit/testkit';
import type { Cache as CacheManager } from 'cache-manager';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'nest-cluster';
/** Keys whose Redis keys (`nc:1:<key>`) land on every master. */
const KEYS = Array.from({ length: 30 }, (_, i) => `key-${i}`);

@Controller()
class ItemsController {
  calls = 0;

  @Get('items')
  @UseInterceptors(CacheInterceptor)
  @CacheTTL(5000)
  items() {
    this.calls += 1;
    return { calls: this.calls };
  }
}

@Injectable()
class Consumers {
  constructor(
    @InjectCache() readonly cache: Cache,
    @InjectCacheManager() readonly manager: CacheManager,
    @InjectRedis() readonly redis: RedisClient,
    @InjectRedis('default', { write: false }) readonly reader: RedisClient,
    @Inject(CACHE_MANAGER) readonly cacheManager: CacheManager,
    @Inject(CachesService) readonly caches: CachesService,
  ) {}
}

describe('SentinelCacheModule on a Redis Cluster alias', () => {
  let cluster: Cluster;
  let app: INestApplication;
  let consumers: Consumers;

  beforeAll(async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD });
    const moduleRef = await Test.createTestingModule({
      imports: [
        SentinelCacheModule.forRoot({
          caches: {
            default: {
              location: cluster.location,
              keyPrefix: 'nc',
              timeout: 120,
              options: { password: PASSWORD, readFrom: 'master' },
            },
          },
        }),
      ],
      controllers: [ItemsController],
      providers: [Consumers],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    consumers = app.get(Consumers);
  });

  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
  });

  it('the test keys live on every master', () => {
    expect(new Set(KEYS.map((k) => cluster.shardOf(keySlot(`nc:1:${k}`)))).size).toBe(3);
  });

  it('@InjectRedis gives the alias’s ioredis Cluster, the one the Cache writes through', async () => {
    expect(consumers.caches.registry.connector('default')).toBeInstanceOf(ClusterConnector);
    expect(consumers.redis.isCluster).toBe(true);
    expect(consumers.redis).toBe(consumers.cache.client());
    expect(consumers.reader.isCluster).toBe(true);
    expect(consumers.caches.redis()).toBe(consumers.redis);
    for (const key of KEYS) await consumers.redis.set(`raw:${key}`, key);
    expect(await Promise.all(KEYS.map((key) => consumers.redis.get(`raw:${key}`)))).toEqual(KEYS);
  });

  it('CACHE_MANAGER and @InjectCacheManager write what Cache.set writes, mset/mget across slots', async () => {
    expect(consumers.cacheManager).toBe(consumers.manager);
    await consumers.cacheManager.mset(KEYS.map((key, i) => ({ key, value: { i }, ttl: i % 2 ? 10_000 : 0 })));
    expect(await consumers.cacheManager.mget(KEYS)).toEqual(KEYS.map((_, i) => ({ i })));
    expect(await consumers.cache.getMany(KEYS)).toEqual(Object.fromEntries(KEYS.map((k, i) => [k, { i }])));
    expect(await consumers.redis.get('nc:1:key-3')).toBe('{"i":3}');
    expect(await consumers.redis.pttl('nc:1:key-3')).toBeGreaterThan(9000);
    expect(await consumers.redis.pttl('nc:1:key-2')).toBe(-1);
    await consumers.cacheManager.mdel(KEYS);
    expect(await consumers.cache.getMany(KEYS)).toEqual({});
  });

  it('serves CacheInterceptor hits from the cluster, with @CacheTTL in ms', async () => {
    const server = app.getHttpServer();
    const first = await request(server).get('/items').expect(200);
    const second = await request(server).get('/items').expect(200);
    expect(second.body).toEqual(first.body);
    expect(app.get(ItemsController).calls).toBe(first.body.calls);
    const pttl = await consumers.redis.pttl('nc:1:/items');
    expect(pttl).toBeGreaterThan(4000);
    expect(pttl).toBeLessThanOrEqual(5000);
  });

  it('clear through CACHE_MANAGER empties every master of this alias’s keys', async () => {
    await Promise.all(KEYS.map((key) => consumers.cache.set(key, 1)));
    await consumers.cacheManager.clear();
    expect(await consumers.cache.keys('*')).toEqual([]);
  });

  it('the health indicator reports the cluster up, with its slots and nodes', async () => {
    const result = await app.get(SentinelHealthIndicator).isHealthy('redis');
    expect(result.redis).toEqual({
      status: 'up',
      alias: 'default',
      cluster: { state: 'ok', slotsOk: 16384, knownNodes: 6 },
    });
  });

  it('a near cache on a cluster alias fails at bootstrap, naming the alias', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        SentinelCacheModule.forRoot({
          caches: { near: { location: cluster.location, options: { password: PASSWORD, nearCache: true } } },
        }),
      ],
    }).compile();
    const error = await compiling.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedLocationError);
    expect((error as UnsupportedLocationError).alias).toBe('near');
  });
});
