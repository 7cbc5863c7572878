import type { CacheConfig, Caches } from '@sentinel-kit/core';

/** What `SentinelCacheModule.forRoot()` (or the `useFactory` of `forRootAsync()`) supplies. */
export interface SentinelCacheModuleOptions {
  /**
   * Django's `CACHES`: alias → `CacheConfig` (the module builds the registry and closes it on
   * application shutdown), or a registry from `createCaches()` that the caller owns and closes.
   * The `default` alias also backs @nestjs/cache-manager's `CACHE_MANAGER`.
   */
  caches: Record<string, CacheConfig> | Caches;
}

/** Options of `forRoot`/`forRootAsync` that shape the module itself rather than the caches. */
export interface SentinelCacheModuleExtras {
  /** Register the module globally, so feature modules need not import it. @default false */
  isGlobal?: boolean;
  /**
   * Aliases to offer injection tokens for, beyond the static config's keys and those named by
   * `@InjectCache`/`@InjectCacheManager`/`@InjectRedis`. Useful with `forRootAsync`, whose aliases
   * are only known at runtime, when tokens are looked up dynamically (`moduleRef.get`).
   * @default []
   */
  aliases?: string[];
}
