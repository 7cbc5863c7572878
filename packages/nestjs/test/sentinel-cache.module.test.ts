import 'reflect-metadata';
import {
  CACHE_MANAGER,
  CacheInterceptor,
  CacheKey,
  CacheTTL,
  Cache as NestCache,
} from '@nestjs/cache-manager';
import {
  Controller,
  Get,
  type INestApplication,
  Inject,
  Injectable,
  Module,
  UseInterceptors,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type Cache, UnknownCacheAliasError } from '@sentinel-kit/core';
import {
  CachesService,
  getCacheToken,
  InjectCache,
  InjectCacheManager,
  InjectedCacheAliasError,
  InjectRedis,
  type RedisClient,
  SentinelCacheModule,
  SentinelHealthIndicator,
} from '@sentinel-kit/nestjs';
import { startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Cache as CacheManager } from 'cache-manager';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'nest-secret';
let topo: Topology;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, password: PASSWORD });
});

afterAll(async () => {
  await topo?.stop();
});

const cachesConfig = () => ({
  default: {
    location: topo.location,
    keyPrefix: 'dj',
    timeout: 120,
    options: { password: PASSWORD, readFrom: 'master' as const },
  },
  hp: { location: topo.locationFor(1), keyPrefix: 'dj:bi', options: { password: PASSWORD } },
});

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

  @Get('fixed')
  @UseInterceptors(CacheInterceptor)
  @CacheKey('fixed-key')
  @CacheTTL(0)
  fixed() {
    this.calls += 1;
    return { calls: this.calls };
  }

  @Get('default-ttl')
  @UseInterceptors(CacheInterceptor)
  defaultTtl() {
    return { ok: true };
  }
}

@Injectable()
class Consumers {
  constructor(
    @InjectCache('hp') readonly hp: Cache,
    @InjectCacheManager('hp') readonly hpManager: CacheManager,
    @InjectRedis('hp') readonly hpRedis: RedisClient,
    @Inject(CACHE_MANAGER) readonly cacheManager: CacheManager,
    @InjectCache() readonly defaultCache: Cache,
    @Inject(CachesService) readonly caches: CachesService,
  ) {}
}

describe('SentinelCacheModule', () => {
  let app: INestApplication;
  let consumers: Consumers;
  let controller: ItemsController;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SentinelCacheModule.forRoot({ caches: cachesConfig(), isGlobal: true })],
      controllers: [ItemsController],
      providers: [Consumers],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    consumers = app.get(Consumers);
    controller = app.get(ItemsController);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('backs CACHE_MANAGER with the default alias: same Redis key and bytes as Cache.set', async () => {
    const master = topo.client('master');
    await consumers.cacheManager.set('shared', { a: 1, b: 'two' });
    await consumers.defaultCache.set('shared-direct', { a: 1, b: 'two' });
    expect(await master.get('dj:1:shared')).toBe('{"a":1,"b":"two"}');
    expect(await master.get('dj:1:shared')).toBe(await master.get('dj:1:shared-direct'));
    expect(await consumers.cacheManager.get('shared-direct')).toEqual({ a: 1, b: 'two' });
    expect(await consumers.defaultCache.get('shared')).toEqual({ a: 1, b: 'two' });
  });

  it('stores integers written through CACHE_MANAGER as Redis integers', async () => {
    await consumers.cacheManager.set('count', 7);
    expect(await topo.client('master').get('dj:1:count')).toBe('7');
    expect(await consumers.defaultCache.incr('count')).toBe(8);
  });

  it('stores cache-manager milliseconds exactly (PX), not rounded to seconds', async () => {
    await consumers.cacheManager.set('ms', 'v', 1500);
    const pttl = await topo.client('master').pttl('dj:1:ms');
    expect(pttl).toBeGreaterThan(1400);
    expect(pttl).toBeLessThanOrEqual(1500);
  });

  it('treats a cache-manager ttl of 0 as forever, not as Django\'s "do not store"', async () => {
    await consumers.cacheManager.set('zero', 'kept', 0);
    expect(await topo.client('master').pttl('dj:1:zero')).toBe(-1);
    expect(await consumers.defaultCache.get('zero')).toBe('kept');
  });

  it("uses the alias's Django timeout (seconds) as cache-manager's default ttl", async () => {
    await consumers.cacheManager.set('no-ttl', 'v');
    const ttl = await topo.client('master').ttl('dj:1:no-ttl');
    expect(ttl).toBeGreaterThan(115);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('runs mset/mget/mdel through the store, each entry with its own ttl', async () => {
    await consumers.cacheManager.mset<unknown>([
      { key: 'm1', value: 'one', ttl: 10_000 },
      { key: 'm2', value: { two: 2 }, ttl: 0 },
      { key: 'm3', value: 3 },
    ]);
    const master = topo.client('master');
    expect(await master.ttl('dj:1:m1')).toBe(10);
    expect(await master.ttl('dj:1:m2')).toBe(-1);
    expect(await master.ttl('dj:1:m3')).toBeGreaterThan(115);
    expect(await consumers.cacheManager.mget(['m1', 'm2', 'm3', 'none'])).toEqual([
      'one',
      { two: 2 },
      3,
      undefined,
    ]);
    await consumers.cacheManager.mdel(['m1', 'm2']);
    expect(await master.exists('dj:1:m1', 'dj:1:m2', 'dj:1:m3')).toBe(1);
  });

  it('serves CacheInterceptor hits from Redis, under the request URL, with @CacheTTL in ms', async () => {
    const server = app.getHttpServer();
    const first = await request(server).get('/items').expect(200);
    const second = await request(server).get('/items').expect(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers['x-cache']).toBe('HIT');
    expect(controller.calls).toBe(first.body.calls);
    const pttl = await topo.client('master').pttl('dj:1:/items');
    expect(pttl).toBeGreaterThan(4000);
    expect(pttl).toBeLessThanOrEqual(5000);
  });

  it('honours @CacheKey, and @CacheTTL(0) as forever', async () => {
    const server = app.getHttpServer();
    const first = await request(server).get('/fixed').expect(200);
    const second = await request(server).get('/fixed').expect(200);
    expect(second.body).toEqual(first.body);
    expect(JSON.parse((await topo.client('master').get('dj:1:fixed-key')) as string)).toEqual(first.body);
    expect(await topo.client('master').pttl('dj:1:fixed-key')).toBe(-1);
  });

  it('gives interceptor entries without @CacheTTL the alias timeout', async () => {
    await request(app.getHttpServer()).get('/default-ttl').expect(200);
    const ttl = await topo.client('master').ttl('dj:1:/default-ttl');
    expect(ttl).toBeGreaterThan(115);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('injects named caches: @InjectCache and @InjectCacheManager on hp write dj:bi:1:* in db 1', async () => {
    await consumers.hp.set('code', 133);
    await consumers.hpManager.set('label', 'bi');
    const db1 = topo.client('master', { db: 1 });
    expect(await db1.get('dj:bi:1:code')).toBe('133');
    expect(await db1.get('dj:bi:1:label')).toBe('"bi"');
    expect(await topo.client('master').exists('dj:bi:1:code')).toBe(0);
    expect(consumers.caches.get('hp')).toBe(consumers.hp);
    expect(consumers.caches.cacheManager('hp')).toBe(consumers.hpManager);
  });

  it('injects the raw master client with @InjectRedis, on the alias db', async () => {
    expect(((await consumers.hpRedis.call('ROLE')) as unknown[])[0]).toBe('master');
    await consumers.hpRedis.set('raw-key', 'raw');
    expect(await topo.client('master', { db: 1 }).get('raw-key')).toBe('raw');
  });

  it('resolves token getters through the module', () => {
    expect(app.get(getCacheToken('hp'))).toBe(consumers.hp);
  });

  it("also provides @nestjs/cache-manager's Cache class token, as its CacheModule does", () => {
    expect(app.get(NestCache)).toBe(consumers.cacheManager);
  });

  it('reports health: master role, replicas online and quorum', async () => {
    const health = app.get(SentinelHealthIndicator);
    const result = await health.isHealthy('redis');
    expect(result.redis).toMatchObject({
      status: 'up',
      alias: 'default',
      master: { role: 'master' },
      replicas: { online: 1, known: 1 },
      quorum: { ok: true },
    });
    const master = await topo.master();
    expect(result.redis?.master?.address).toBe(`${master.host}:${master.port}`);
  });

  it('reports down, with the reason, when fewer replicas than minReplicas are online', async () => {
    const result = await app.get(SentinelHealthIndicator).isHealthy('redis', { alias: 'hp', minReplicas: 3 });
    expect(result.redis?.status).toBe('down');
    expect(result.redis?.reason).toMatch(/fewer than minReplicas 3/);
  });
});

describe('SentinelCacheModule.forRootAsync', () => {
  const CONFIG = 'TEST_CONFIG';

  @Module({
    providers: [{ provide: CONFIG, useFactory: () => ({ caches: cachesConfig() }) }],
    exports: [CONFIG],
  })
  class ConfigModule {}

  it('takes the caches from a factory with imports and inject', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SentinelCacheModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (config: { caches: ReturnType<typeof cachesConfig> }) => ({ caches: config.caches }),
          aliases: ['hp'],
        }),
      ],
      providers: [Consumers],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const consumers = app.get(Consumers);
      await consumers.hp.set('async', 'yes');
      expect(await topo.client('master', { db: 1 }).get('dj:bi:1:async')).toBe('"yes"');
      expect(consumers.caches.aliases).toEqual(['default', 'hp']);
    } finally {
      await app.close();
    }
  });
});

describe('an alias the config lacks', () => {
  @Injectable()
  class NeedsMissing {
    constructor(@InjectCache('nope') readonly cache: Cache) {}
  }

  it('fails at bootstrap with a typed error naming the known aliases and the injector', async () => {
    const error = await Test.createTestingModule({
      imports: [
        SentinelCacheModule.forRootAsync({
          useFactory: () => ({ caches: cachesConfig() }),
          aliases: ['nope'],
        }),
      ],
      providers: [NeedsMissing],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InjectedCacheAliasError);
    expect(error).toBeInstanceOf(UnknownCacheAliasError);
    expect((error as UnknownCacheAliasError).code).toBe('ERR_UNKNOWN_CACHE_ALIAS');
    expect((error as Error).message).toContain('"nope"');
    expect((error as Error).message).toContain('"default", "hp"');
    expect((error as Error).message).toContain('NeedsMissing');
  });

  it('does not fail an application that never injects it', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SentinelCacheModule.forRoot({ caches: cachesConfig() })],
    }).compile();
    await moduleRef.close();
  });

  it('fails at bootstrap when the caches lack an alias listed in aliases, even if nothing injects it', async () => {
    const error = await Test.createTestingModule({
      imports: [
        SentinelCacheModule.forRootAsync({
          useFactory: () => ({ caches: cachesConfig() }),
          aliases: ['nope'],
        }),
      ],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InjectedCacheAliasError);
    expect((error as Error).message).toMatch(/"nope" is listed in SentinelCacheModule's aliases option/);
  });

  it('offers no token for an alias that forRoot() does not configure, whatever decorators name it', async () => {
    const error = await Test.createTestingModule({
      imports: [SentinelCacheModule.forRoot({ caches: cachesConfig() })],
      providers: [NeedsMissing],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnknownCacheAliasError);
    expect((error as Error).message).toContain('NeedsMissing');
    expect((error as Error).message).toContain(getCacheToken('nope'));
  });

  it('offers forRootAsync() tokens only for default and the aliases option, not for aliases decorators name', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [SentinelCacheModule.forRootAsync({ useFactory: () => ({ caches: cachesConfig() }) })],
    }).compile();
    try {
      expect(moduleRef.get(getCacheToken('default'))).toBeDefined();
      // Consumers and NeedsMissing, defined in this file, inject "hp" and "nope".
      expect(() => moduleRef.get(getCacheToken('hp'))).toThrow();
      expect(() => moduleRef.get(getCacheToken('nope'))).toThrow();
    } finally {
      await moduleRef.close();
    }
  });

  it('fails at bootstrap when a class injects the default alias the caches lack', async () => {
    @Injectable()
    class NeedsDefault {
      constructor(@InjectCacheManager() readonly manager: CacheManager) {}
    }
    const { hp } = cachesConfig();
    const error = await Test.createTestingModule({
      imports: [SentinelCacheModule.forRoot({ caches: { hp } })],
      providers: [NeedsDefault],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InjectedCacheAliasError);
    expect((error as Error).message).toContain('"default" is injected into NeedsDefault');
  });

  it('boots caches without a default alias when nothing injects it', async () => {
    const { hp } = cachesConfig();
    const moduleRef = await Test.createTestingModule({
      imports: [SentinelCacheModule.forRoot({ caches: { hp } })],
    }).compile();
    try {
      expect(moduleRef.get(getCacheToken('default'))).toBeNull();
      expect(moduleRef.get(getCacheToken('hp'))).toBeDefined();
    } finally {
      await moduleRef.close();
    }
  });
});
