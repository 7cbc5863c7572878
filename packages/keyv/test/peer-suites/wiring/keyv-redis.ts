// Stands in for @keyv/redis (`../src/index.js` in its tests): `new KeyvRedis(uri)` is a
// KeyvSentinelStore with a Cache of its own. The local Redis the tests name (`redis://localhost:6379`,
// or no URI) is the sentinel topology of global-setup.ts; any other URI (the tests' unreachable one)
// is used as given.
import type { Cache } from '@sentinel-kit/core';
import { KeyvSentinelStore } from '@sentinel-kit/keyv';
import { Keyv } from 'keyv';
import { inject } from 'vitest';
import { cacheAt } from './peer-cache.js';

const LOCAL = /^redis:\/\/localhost:6379(\/\d+)?$/;

function locationOf(uri: unknown): string {
  if (uri === undefined || (typeof uri === 'string' && LOCAL.test(uri))) return inject('peerLocation');
  if (typeof uri === 'string') return uri;
  // Options or a client instead of a URI: the topology too.
  return inject('peerLocation');
}

export default class KeyvRedis extends KeyvSentinelStore {
  private readonly own: Cache;

  constructor(uri?: unknown, _options?: Record<string, unknown>) {
    const cache = cacheAt(locationOf(uri));
    super({ cache });
    this.own = cache;
  }

  /** Unlike the bare KeyvSentinelStore, this store owns its Cache, so it closes it. */
  override async disconnect(): Promise<void> {
    await this.own.close();
  }
}

export { KeyvRedis };

/** @keyv/redis's `createKeyv(uri, options)`: a Keyv over a new store. */
export function createKeyv(uri?: unknown, options: { namespace?: string } = {}): Keyv {
  return new Keyv({ store: new KeyvRedis(uri, options), namespace: options.namespace });
}
