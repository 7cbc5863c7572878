import type { Cache, Caches } from '@sentinel-kit/core';

/**
 * How a value handed over by Keyv reaches Redis.
 * - `'keyv'`: Keyv serializes `{ value, expires }` itself (its default) and the store keeps that
 *   text as an opaque string, as every Keyv storage adapter does. Only Keyv can read it back.
 * - `'django'`: Keyv is created with `serialize: undefined, deserialize: undefined` (see
 *   `createKeyv`); the store writes the bare value through the cache's own encoding, so
 *   `Cache.get`, django-redis and Keyv all read the same key. Expiry is Redis's alone.
 */
export type KeyvValueFormat = 'keyv' | 'django';

interface CommonOptions {
  /** See `KeyvValueFormat`. @default 'keyv' */
  valueFormat?: KeyvValueFormat;
  /** Keys fetched per `MGET` while iterating. @default 100 */
  iterationBatchSize?: number;
  /**
   * Send the `get`s of one event-loop turn as one `MGET` (see `ReadBatcher`); `false` sends each
   * `get` as its own `GET`. Off when the cache has a near cache (`options.nearCache`): its hits
   * are answered from memory at once. @default true
   */
  batchReads?: boolean;
  /** Reads gathered before a batch goes out without waiting for the turn to end. @default 100 */
  maxReadBatch?: number;
}

/** Build the store over one `Cache`, e.g. `createCache(config)` or `caches.get('hp')`. */
export interface KeyvSentinelStoreCacheOptions extends CommonOptions {
  cache: Cache;
}

/** Build the store over one alias of a `createCaches` registry. */
export interface KeyvSentinelStoreCachesOptions extends CommonOptions {
  caches: Caches;
  /** The alias in `caches`. @default 'default' */
  alias?: string;
}

export type KeyvSentinelStoreOptions = KeyvSentinelStoreCacheOptions | KeyvSentinelStoreCachesOptions;
