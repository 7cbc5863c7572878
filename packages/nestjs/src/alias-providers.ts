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

/**
 * The providers of one alias: its `Cache`, its cache-manager and its raw clients. For an alias
 * the config lacks, the factory throws `InjectedCacheAliasError` if something in this application
 * injects it, and otherwise resolves to `null` (another application in the process named it).
 */
export function aliasProviders(alias: string, ownModule: ModuleClass): Provider[] {
  const provider = (
    token: string,
    build: (caches: CachesService) => unknown,
    aliasTokens: InjectionToken[],
  ) => ({
    provide: token,
    inject: [CachesService, ModulesContainer],
    useFactory: (caches: CachesService, container: ModulesContainer) => {
      if (caches.aliases.includes(alias)) return build(caches);
      const injectors = findInjectors(container, aliasTokens, ownModule);
      if (injectors.length > 0) throw new InjectedCacheAliasError(alias, caches.aliases, injectors);
      return null;
    },
  });
  const managerTokens: InjectionToken[] = [getCacheManagerToken(alias)];
  if (alias === DEFAULT_CACHE_ALIAS) managerTokens.push(CACHE_MANAGER, NestCache);
  return [
    provider(getCacheToken(alias), (caches) => caches.get(alias), [getCacheToken(alias)]),
    provider(getCacheManagerToken(alias), (caches) => caches.cacheManager(alias), managerTokens),
    ...[true, false].map((write) =>
      provider(getRedisToken(alias, { write }), (caches) => caches.redis(alias, { write }), [
        getRedisToken(alias, { write }),
      ]),
    ),
  ];
}

/** Every token `aliasProviders(alias)` provides, for the module's exports. */
export function aliasTokens(alias: string): string[] {
  return [
    getCacheToken(alias),
    getCacheManagerToken(alias),
    getRedisToken(alias, { write: true }),
    getRedisToken(alias, { write: false }),
  ];
}
