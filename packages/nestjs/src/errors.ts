import { UnknownCacheAliasError } from '@sentinel-kit/core';

/**
 * `@InjectCache`/`@InjectCacheManager`/`@InjectRedis` (or `CACHE_MANAGER`) name an alias that
 * `SentinelCacheModule`'s caches lack. Thrown at bootstrap; an `UnknownCacheAliasError` with the
 * same `code`, whose message also names the classes that inject the alias.
 */
export class InjectedCacheAliasError extends UnknownCacheAliasError {
  constructor(alias: string, known: readonly string[], injectors: readonly string[]) {
    super(alias, known);
    const list = known.length === 0 ? 'none' : known.map((a) => `"${a}"`).join(', ');
    this.message =
      `Cache alias "${alias}" is injected into ${injectors.join(', ')}, but SentinelCacheModule's caches configure only ${list}. ` +
      `Add "${alias}" to the caches option of SentinelCacheModule.forRoot()/forRootAsync(), or fix the alias in the decorator.`;
  }
}
