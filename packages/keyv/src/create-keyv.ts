import { Keyv } from 'keyv';
import { KeyvSentinelStore } from './keyv-sentinel-store.js';
import type {
  KeyvSentinelStoreCacheOptions,
  KeyvSentinelStoreCachesOptions,
  KeyvSentinelStoreOptions,
} from './keyv-sentinel-store.types.js';

export type CreateKeyvOptions = (
  | Omit<KeyvSentinelStoreCacheOptions, 'valueFormat'>
  | Omit<KeyvSentinelStoreCachesOptions, 'valueFormat'>
) & {
  /** Default ttl of the Keyv, in milliseconds; `0` or none = never expires. @default none */
  ttl?: number;
};

/**
 * A Keyv whose keys and values are exactly the cache's: no namespace, no Keyv envelope, the
 * store in `valueFormat: 'django'`. `keyv.set('k', v)` writes what `cache.set('k', v)` writes, so
 * `Cache.get`, django-redis and this Keyv share one key. Store errors are thrown, not swallowed
 * (unlike Keyv's default): whether failures become misses is the cache's `ignoreExceptions`.
 */
export function createKeyv(options: CreateKeyvOptions): Keyv {
  const { ttl, ...storeOptions } = options;
  return new Keyv({
    store: new KeyvSentinelStore({ ...storeOptions, valueFormat: 'django' } as KeyvSentinelStoreOptions),
    namespace: undefined,
    useKeyPrefix: false,
    serialize: undefined,
    deserialize: undefined,
    throwOnErrors: true,
    ttl,
  });
}
