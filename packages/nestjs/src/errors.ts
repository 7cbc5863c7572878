import { UnknownCacheAliasError } from '@sentinel-kit/core';

/**
 * `SentinelCacheModule` offers tokens for an alias (the `aliases` option, or `default`) that its
 * caches lack, and the alias is listed or injected (`@InjectCache`/`@InjectCacheManager`/
 * `@InjectRedis`, `CACHE_MANAGER`). Thrown at bootstrap; an `UnknownCacheAliasError` with the same
 * `code`, whose message also names the classes seen injecting the alias.
 */
export class InjectedCacheAliasError extends UnknownCacheAliasError {
  constructor(alias: string, known: readonly string[], injectors: readonly string[]) {
    super(alias, known);
    const list = known.length === 0 ? 'none' : known.map((a) => `"${a}"`).join(', ');
    const [where, fix] =
      injectors.length === 0
        ? ["is listed in SentinelCacheModule's aliases option", 'remove it from the aliases option']
        : [`is injected into ${injectors.join(', ')}`, 'fix the alias where it is injected'];
    this.message =
      `Cache alias "${alias}" ${where}, but SentinelCacheModule's caches configure only ${list}. ` +
      `Add "${alias}" to the caches (of forRoot(), or that the useFactory of forRootAsync() returns), or ${fix}.`;
  }
}
