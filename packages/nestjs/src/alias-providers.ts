import { CACHE_MANAGER, Cache as NestCache } from '@nestjs/cache-manager';
import type { InjectionToken, Provider } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { CachesService } from './caches.service.js';
import { InjectedCacheAliasError } from './errors.js';
import { findInjectors } from './find-injectors.js';
import {
  DEFAULT_CACHE_ALIAS,
  getCacheManagerToken,
  getCacheToken,
  getRedisToken,
} from './sentinel-cache.constants.js';

type ModuleClass = Parameters<typeof findInjectors>[2];

/** Every token `aliasProviders(alias)` provides, for the module's exports. */
export function aliasTokens(alias: string): string[] {
  return [
    getCacheToken(alias),
    getCacheManagerToken(alias),
    getRedisToken(alias, { write: true }),
    getRedisToken(alias, { write: false }),
  ];
}

/**
 * The providers of one alias: its `Cache`, its cache-manager and its raw clients. When the caches
 * lack the alias, every one of them throws the same `InjectedCacheAliasError` at bootstrap if the
 * alias was `listed` in the module's options or something in this application injects it; the
 * implicit `default` alias of caches that have none resolves to `null` when nothing injects it.
 */
export function aliasProviders(alias: string, listed: boolean, ownModule: ModuleClass): Provider[] {
  const tokens: InjectionToken[] = aliasTokens(alias);
  if (alias === DEFAULT_CACHE_ALIAS) tokens.push(CACHE_MANAGER, NestCache);
  const provider = (token: string, build: (caches: CachesService) => unknown): Provider => ({
    provide: token,
    inject: [CachesService, ModulesContainer],
    useFactory: (caches: CachesService, container: ModulesContainer) => {
      if (caches.aliases.includes(alias)) return build(caches);
      const injectors = findInjectors(container, tokens, ownModule);
      if (listed || injectors.length > 0) throw new InjectedCacheAliasError(alias, caches.aliases, injectors);
      return null;
    },
  });
  return [
    provider(getCacheToken(alias), (caches) => caches.get(alias)),
    provider(getCacheManagerToken(alias), (caches) => caches.cacheManager(alias)),
    ...[true, false].map((write) =>
      provider(getRedisToken(alias, { write }), (caches) => caches.redis(alias, { write })),
    ),
  ];
}
