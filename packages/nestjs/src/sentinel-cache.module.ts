import { CACHE_MANAGER, Cache as NestCache } from '@nestjs/cache-manager';
import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type Caches, createCaches } from '@sentinel-kit/core';
import { aliasProviders, aliasTokens } from './alias-providers.js';
import { CachesService } from './caches.service.js';
import { DEFAULT_CACHE_ALIAS, getCacheManagerToken, SENTINEL_CACHES } from './sentinel-cache.constants.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
  SENTINEL_CACHE_MODULE_OPTIONS,
} from './sentinel-cache.module-definition.js';
import type { SentinelCacheModuleOptions } from './sentinel-cache-module.options.js';
import { SentinelHealthIndicator } from './sentinel-health.indicator.js';

/** The registry and whether this module built it (and so must close it). */
interface CachesState {
  caches: Caches;
  owned: boolean;
}
const SENTINEL_CACHES_STATE = 'sentinel-kit:caches-state';

const isRegistry = (caches: SentinelCacheModuleOptions['caches']): caches is Caches =>
  typeof (caches as Partial<Caches>).get === 'function' && Array.isArray((caches as Partial<Caches>).aliases);

/**
 * Django's `CACHES` for Nest: named caches on Redis Sentinel, each injectable as a django-style
 * `Cache` (`@InjectCache`), a cache-manager (`@InjectCacheManager`) or a raw ioredis client
 * (`@InjectRedis`). The `default` alias backs @nestjs/cache-manager's `CACHE_MANAGER`, so
 * `CacheInterceptor`, `@CacheKey` and `@CacheTTL` work unchanged. Connections close on shutdown.
 */
@Module({
  providers: [
    {
      provide: SENTINEL_CACHES_STATE,
      inject: [SENTINEL_CACHE_MODULE_OPTIONS],
      useFactory: ({ caches }: SentinelCacheModuleOptions): CachesState =>
        isRegistry(caches) ? { caches, owned: false } : { caches: createCaches(caches), owned: true },
    },
    {
      provide: SENTINEL_CACHES,
      inject: [SENTINEL_CACHES_STATE],
      useFactory: (state: CachesState) => state.caches,
    },
    CachesService,
    SentinelHealthIndicator,
    { provide: CACHE_MANAGER, useExisting: getCacheManagerToken(DEFAULT_CACHE_ALIAS) },
    { provide: NestCache, useExisting: CACHE_MANAGER },
  ],
  exports: [SENTINEL_CACHES, CachesService, SentinelHealthIndicator, CACHE_MANAGER, NestCache],
})
export class SentinelCacheModule extends ConfigurableModuleClass implements OnApplicationShutdown {
  constructor(@Inject(SENTINEL_CACHES_STATE) private readonly state: CachesState) {
    super();
  }

  /** Caches from a static config (or registry): its aliases are the config's keys (or the registry's). */
  static forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    const configured = isRegistry(options.caches) ? options.caches.aliases : Object.keys(options.caches);
    // biome-ignore lint/complexity/noThisInStatic: super keeps `module: SentinelCacheModule` in the definition.
    return SentinelCacheModule.withAliases(super.forRoot(options), [
      ...configured,
      ...(options.aliases ?? []),
    ]);
  }

  /**
   * Caches from a factory, e.g. one that reads a `ConfigService`. The factory runs after Nest has
   * wired the app, so the aliases to offer tokens for are `default` and the `aliases` option.
   */
  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    // biome-ignore lint/complexity/noThisInStatic: super keeps `module: SentinelCacheModule` in the definition.
    return SentinelCacheModule.withAliases(super.forRootAsync(options), options.aliases ?? []);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.state.owned) await this.state.caches.close();
  }

  /** Adds the providers and exports of `listed` aliases, and of `default`, which is always offered. */
  private static withAliases(definition: DynamicModule, listed: readonly string[]): DynamicModule {
    const all = [...new Set([DEFAULT_CACHE_ALIAS, ...listed])];
    return {
      ...definition,
      providers: [
        ...(definition.providers ?? []),
        ...all.flatMap((a) => aliasProviders(a, listed.includes(a), SentinelCacheModule)),
      ],
      exports: [...(definition.exports ?? []), ...all.flatMap(aliasTokens)],
    };
  }
}
