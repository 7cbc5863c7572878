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
   * The aliases to offer injection tokens for (`@InjectCache(alias)`, `getCacheToken(alias)`, …)
   * besides `default`, which is always offered. `forRootAsync` needs them: its caches are only
   * known once its factory has run, after Nest has wired the app. `forRoot` takes the static
   * config's keys (or the registry's aliases) itself. Bootstrap fails with `InjectedCacheAliasError`
   * when the caches lack a listed alias; injecting an alias that is not offered fails with Nest's
   * "can't resolve dependencies" error naming its token (`sentinel-kit:cache:<alias>`).
   * @default []
   */
  aliases?: string[];
}
