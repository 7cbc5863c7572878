import { Inject } from '@nestjs/common';
import { recordInjectedToken } from './find-injectors.js';
import {
  DEFAULT_CACHE_ALIAS,
  getCacheManagerToken,
  getCacheToken,
  getRedisToken,
} from './sentinel-cache.constants.js';

type InjectDecorator = PropertyDecorator & ParameterDecorator;

/**
 * `@Inject(token)`, also noting the token on the decorated class so that a bootstrap error for an
 * alias the caches lack can name the class that injects it.
 */
function injectToken(token: string): InjectDecorator {
  const inject = Inject(token) as (target: object, key: string | symbol | undefined, index?: number) => void;
  return ((target: object, key: string | symbol | undefined, index?: number) => {
    recordInjectedToken(target, token);
    inject(target, key, index);
  }) as InjectDecorator;
}

/** Injects the django-style `Cache` of `alias` (default `'default'`). */
export function InjectCache(alias: string = DEFAULT_CACHE_ALIAS): InjectDecorator {
  return injectToken(getCacheToken(alias));
}

/** Injects a cache-manager instance (milliseconds TTLs, Keyv underneath) over the cache of `alias`. */
export function InjectCacheManager(alias: string = DEFAULT_CACHE_ALIAS): InjectDecorator {
  return injectToken(getCacheManagerToken(alias));
}

/**
 * Injects the raw ioredis client of `alias` (a `RedisClient`: `Redis`, or `Cluster` for a Redis
 * Cluster alias), like django-redis's `get_redis_connection`.
 * `write` (default true) gives the master's client, which follows failovers for the app's whole
 * life; `write: false` gives the client that served reads at bootstrap — use
 * `CachesService.redis(alias, { write: false })` per call where the read policy may move. On a
 * cluster alias both are `Cluster`s, which route each command by its key's slot themselves.
 */
export function InjectRedis(
  alias: string = DEFAULT_CACHE_ALIAS,
  options: { write?: boolean } = {},
): InjectDecorator {
  return injectToken(getRedisToken(alias, options));
}
