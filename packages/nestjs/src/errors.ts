import { SentinelKitError, UnknownCacheAliasError } from '@sentinel-kit/core';

/** A Keyv / cache-manager ttl that is not a number of milliseconds. */
export class InvalidTtlError extends SentinelKitError {
  override name = 'InvalidTtlError';

  constructor(ttl: unknown, alias?: string) {
    super(
      'ERR_INVALID_TTL',
      `Invalid ttl ${String(ttl)}${alias === undefined ? '' : ` for cache "${alias}"`}: a Keyv / cache-manager ttl is a number of milliseconds (0 or none = never expires).`,
      alias === undefined ? {} : { alias },
    );
  }
}

/**
 * A `KeyvSentinelStore` in `valueFormat: 'django'` was handed text Keyv had already serialized, so
 * it cannot store the bare value that Django and `Cache.get` read.
 */
export class KeyvSerializedValueError extends SentinelKitError {
  override name = 'KeyvSerializedValueError';

  constructor(alias?: string) {
    super(
      'ERR_KEYV_SERIALIZED_VALUE',
      `KeyvSentinelStore${alias === undefined ? '' : ` (cache "${alias}")`} has valueFormat 'django' but Keyv serialized the value itself. Create the Keyv with serialize: undefined and deserialize: undefined (createKeyv() does), or give the store valueFormat: 'keyv'.`,
      alias === undefined ? {} : { alias },
    );
  }
}

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
