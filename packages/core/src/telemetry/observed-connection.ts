import type { Cluster, Redis } from 'ioredis';
import type { ReadFrom } from '../connector/connector-options.js';
import { noteClient } from './call-record.js';
import { watchNearCache } from './near-cache-metrics.js';

/** A cache's two clients (the cache's `CacheConnection`, which this layer does not import). */
export interface Clients {
  master(): Redis | Cluster;
  replica(readFrom?: ReadFrom): Redis | Cluster;
}

/**
 * A cache's connection that tells the call running now which client it was handed, so its span
 * names the node that answered (a read may go to a replica, or to the master after a write).
 */
class ObservedConnection implements Clients {
  constructor(readonly inner: Clients) {}

  master(): Redis | Cluster {
    const client = this.inner.master();
    noteClient(client);
    return client;
  }

  replica(readFrom?: ReadFrom): Redis | Cluster {
    const client = this.inner.replica(readFrom);
    noteClient(client);
    return client;
  }
}

/** The connection each observed cache was built on, unobserved. */
const connections = new WeakMap<object, Clients>();

/**
 * What `cache` should use in place of `connection`, so its calls learn which client served them;
 * its near cache, if it gets one, joins the near-cache metrics.
 */
export function observeConnection(cache: object, connection: Clients): Clients {
  connections.set(cache, connection);
  watchNearCache(cache);
  return new ObservedConnection(connection);
}

/** The connection `cache` was built on. */
export function connectionOf(cache: object): Clients | undefined {
  return connections.get(cache);
}
