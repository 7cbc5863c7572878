import { Inject } from '@nestjs/common';
import { recordAlias } from './referenced-aliases.js';
import {
  DEFAULT_CACHE_ALIAS,
  getCacheManagerToken,
  getCacheToken,
  getRedisToken,
} from './sentinel-cache.constants.js';

/** Injects the django-style `Cache` of `alias` (default `'default'`). */
export function InjectCache(alias: string = DEFAULT_CACHE_ALIAS): PropertyDecorator & ParameterDecorator {
  recordAlias(alias);
  return Inject(getCacheToken(alias));
}

/** Injects a cache-manager instance (milliseconds TTLs, Keyv underneath) over the cache of `alias`. */
export function InjectCacheManager(
  alias: string = DEFAULT_CACHE_ALIAS,
): PropertyDecorator & ParameterDecorator {
  recordAlias(alias);
  return Inject(getCacheManagerToken(alias));
}

/**
 * Injects the raw ioredis client of `alias`, like django-redis's `get_redis_connection`.
 * `write` (default true) gives the master's client, which follows failovers for the app's whole
 * life; `write: false` gives the client that served reads at bootstrap — use
 * `CachesService.redis(alias, { write: false })` per call where the read policy may move.
 */
export function InjectRedis(
  alias: string = DEFAULT_CACHE_ALIAS,
  options: { write?: boolean } = {},
): PropertyDecorator & ParameterDecorator {
  recordAlias(alias);
  return Inject(getRedisToken(alias, options));
}
