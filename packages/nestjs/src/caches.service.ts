import { Inject, Injectable } from '@nestjs/common';
import { type Cache, type Caches, getRedisConnection } from '@sentinel-kit/core';
import type { Cache as CacheManager } from 'cache-manager';
import { createCacheManager } from './create-cache-manager.js';
import { DEFAULT_CACHE_ALIAS, SENTINEL_CACHES } from './sentinel-cache.constants.js';

/**
 * The raw ioredis client of an alias, named without a direct dependency on ioredis: a `Redis` for
 * a sentinel or one-server alias, a `Cluster` for a Redis Cluster alias (core's `CacheClient`).
 * Narrow it with `client.isCluster`, or type the injected parameter as the one your alias has.
 */
export type RedisClient = ReturnType<typeof getRedisConnection>;

/**
 * Django's `caches` for Nest: the registry behind `SentinelCacheModule`, for code that picks the
 * alias at runtime. An unknown alias throws `UnknownCacheAliasError`, naming the known ones.
 */
@Injectable()
export class CachesService {
  private readonly managers = new Map<string, CacheManager>();

  constructor(@Inject(SENTINEL_CACHES) readonly registry: Caches) {}

  /** The configured aliases. */
  get aliases(): readonly string[] {
    return this.registry.aliases;
  }

  /** `caches['default']`. */
  get default(): Cache {
    return this.registry.get(DEFAULT_CACHE_ALIAS);
  }

  /** `caches[alias]`: the django-style `Cache`. */
  get(alias: string = DEFAULT_CACHE_ALIAS): Cache {
    return this.registry.get(alias);
  }

  /** The cache-manager instance of `alias`; one per alias, the one `@InjectCacheManager` gives. */
  cacheManager(alias: string = DEFAULT_CACHE_ALIAS): CacheManager {
    let manager = this.managers.get(alias);
    if (manager === undefined) {
      manager = createCacheManager(this.registry.get(alias));
      this.managers.set(alias, manager);
    }
    return manager;
  }

  /**
   * The raw ioredis client of `alias`, like django-redis's `get_redis_connection`: the master's
   * for `write: true` (the default), else the one that serves reads now.
   */
  redis(alias: string = DEFAULT_CACHE_ALIAS, options: { write?: boolean } = {}): RedisClient {
    return getRedisConnection(this.registry, alias, { write: options.write ?? true });
  }
}
