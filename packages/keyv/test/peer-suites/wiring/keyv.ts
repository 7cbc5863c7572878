// Stands in for the `keyv` package in the peers' tests: the same module, except that a Keyv created
// without a store gets a KeyvSentinelStore (in its own namespace, so two Keyvs of one test stay
// apart, as two in-memory Keyvs do) where the original would use an in-memory Map.
import { KeyvSentinelStore } from '@sentinel-kit/keyv';
import { type KeyvOptions, type KeyvStoreAdapter, Keyv as OriginalKeyv } from 'keyv';
import { peerCache } from './peer-cache.js';

export * from 'keyv';

let instances = 0;

type Store = KeyvStoreAdapter | KeyvOptions | Map<unknown, unknown>;

const hasStore = (value: Store | undefined): boolean =>
  value !== undefined && (!isOptions(value) || (value as KeyvOptions).store !== undefined);

const isOptions = (value: Store): boolean =>
  !(value instanceof Map) && typeof (value as KeyvStoreAdapter).get !== 'function';

export class Keyv<GenericValue = unknown> extends OriginalKeyv<GenericValue> {
  constructor(store?: Store, options?: Omit<KeyvOptions, 'store'>) {
    if (hasStore(store)) {
      super(store as KeyvOptions, options);
      return;
    }
    const given = (store ?? {}) as KeyvOptions;
    instances += 1;
    super({
      ...given,
      ...options,
      store: new KeyvSentinelStore({ cache: peerCache() }),
      namespace: options?.namespace ?? given.namespace ?? `peer${instances}`,
    });
  }
}

export default Keyv;
