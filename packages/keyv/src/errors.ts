import { SentinelKitError } from '@sentinel-kit/core';

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
