import type { Redis } from 'ioredis';
import { ClusterConnector } from '../connector/cluster-connector.js';
import { Connector } from '../connector/connector.js';
import { connectorKey } from '../connector/connector-key.js';
import { type ConnectorOptions, PASSED_OPTIONS } from '../connector/connector-options.js';
import { closedClient } from '../connector/ioredis/client-internals.js';
import { refuseSentinelOnly } from '../connector/sentinel-only.js';
import {
  ClosedError,
  isSentinelKitError,
  UnknownCacheAliasError,
  UnsupportedLocationError,
} from '../errors.js';
import { type Location, toLocation } from '../location/location.js';
import { Cache, type CacheConnection } from './cache.js';
import type { CacheClient } from './cache-client.js';
import type { CacheConfig } from './cache-config.js';

/** What serves a cache: a `Connector` (sentinels or one server), or a `ClusterConnector`. */
export type AnyConnector = Connector | ClusterConnector;

/** The connector `options` need: a `ClusterConnector` for a `redis+cluster://` location, else a `Connector`. */
function openConnector(options: ConnectorOptions): AnyConnector {
  return toLocation(options.location).kind === 'cluster'
    ? new ClusterConnector(options)
    : new Connector(options);
}

/**
 * Parses the location now, so a bad one fails here (naming the alias) rather than on first use, and
 * refuses on a cluster what it does not take: the sentinel options, and the near cache, which needs
 * a connection of its own to the one master.
 */
function checkConfig(config: CacheConfig, options: ConnectorOptions, alias: string): string {
  let kind: Location['kind'];
  try {
    kind = toLocation(options.location).kind;
  } catch (error) {
    throw isSentinelKitError(error) ? error.forAlias(alias) : error;
  }
  if (kind === 'cluster') {
    refuseSentinelOnly(options);
    if (config.options?.nearCache) throw new UnsupportedLocationError('"nearCache"', 'cluster', { alias });
  }
  return connectorKey(options);
}

/** The connector options a cache config implies: its location and the connection part of `options`. */
export function connectorOptionsOf(config: CacheConfig, alias?: string): ConnectorOptions {
  const options = config.options ?? {};
  const given = PASSED_OPTIONS.filter((name) => options[name] !== undefined).map((name) => [
    name,
    options[name],
  ]);
  return Object.assign(
    { location: config.location },
    alias === undefined ? {} : { alias },
    Object.fromEntries(given),
  );
}

/**
 * A connection that opens its connector on first use, so building a cache validates its config
 * without opening sockets (Django's caches connect lazily too). Once the cache is `closed()` it
 * opens nothing again: its client fails every call with `ClosedError`.
 */
function lazyConnection(open: () => AnyConnector, closed: () => boolean, alias: string): CacheConnection {
  let refused: Redis | undefined;
  const refuse = (): Redis => {
    refused ??= closedClient(new ClosedError('cache', { alias, command: 'unsent' }));
    return refused;
  };
  const oneMaster = (): Connector => {
    const connector = open();
    if (connector instanceof ClusterConnector)
      throw new UnsupportedLocationError('"nearCache"', 'cluster', { alias });
    return connector;
  };
  return {
    master: () => (closed() ? refuse() : open().master()),
    replica: (readFrom) => (closed() ? refuse() : open().replica(readFrom)),
    companion: (options) =>
      closed()
        ? { client: refuse(), node: () => undefined, close: () => {} }
        : oneMaster().companion(options),
    onFailover: (listener) => {
      if (closed()) return () => {};
      const connector = oneMaster();
      connector.on('failover', listener);
      return () => connector.off('failover', listener);
    },
  };
}

/**
 * One `Cache` alone, with its own connector (opened on first use, closed by `cache.close()`).
 * `alias` names it in errors and logs; default `'default'`.
 */
export function createCache(config: CacheConfig, settings: { alias?: string } = {}): Cache {
  const alias = settings.alias ?? 'default';
  const options = connectorOptionsOf(config, alias);
  checkConfig(config, options, alias);
  let connector: AnyConnector | undefined;
  let closed = false;
  const open = (): AnyConnector => {
    connector ??= openConnector(options);
    return connector;
  };
  const onClose = async () => {
    closed = true;
    await connector?.close();
  };
  return new Cache(
    config,
    lazyConnection(open, () => closed, alias),
    { alias, onClose },
  );
}

/** Django's `caches`: one `Cache` per alias; caches on one topology, db and credentials share a connector. */
export interface Caches<A extends string = string> {
  /** The cache of `alias`; `UnknownCacheAliasError` (listing the aliases) for one not configured. */
  get(alias: A): Cache;
  get(alias: string): Cache;
  /** The `default` alias, as `caches.get('default')`. */
  readonly default: Cache;
  /** The configured aliases, in config order. */
  readonly aliases: readonly A[];
  /**
   * The connector serving `alias` (shared with the aliases on the same topology, db and
   * credentials). `ClosedError` once the alias's cache is closed and no connector was opened.
   */
  connector(alias: string): AnyConnector;
  /** Closes every connector; the caches cannot be used afterwards. */
  close(): Promise<void>;
}

interface Shared {
  options: ConnectorOptions;
  connector: AnyConnector | undefined;
  /** Aliases whose cache is not closed yet; the connector closes when this empties. */
  users: Set<string>;
}

/** The connector of `entry` for the cache of `alias`: opened on first use, never after that cache closed. */
function connectorFor(entry: Shared, alias: string): AnyConnector {
  if (!entry.users.has(alias)) {
    if (entry.connector !== undefined) return entry.connector;
    throw new ClosedError('cache', { alias, command: 'unsent' });
  }
  entry.connector ??= openConnector(entry.options);
  return entry.connector;
}

/**
 * The caches registry, from a `CACHES`-style object. Configs are validated now (locations,
 * serializers, compressors); connectors open on first use.
 */
export function createCaches<A extends string>(configs: Record<A, CacheConfig>): Caches<A> {
  const aliases = Object.keys(configs) as A[];
  const shared = new Map<string, Shared>();
  const byAlias = new Map<string, { cache: Cache; shared: Shared }>();

  for (const alias of aliases) {
    const config = configs[alias];
    const options = connectorOptionsOf(config, alias);
    const key = checkConfig(config, options, alias);
    let entry = shared.get(key);
    if (entry === undefined) {
      entry = { options, connector: undefined, users: new Set() };
      shared.set(key, entry);
    }
    const owner = entry;
    owner.users.add(alias);
    const cache = new Cache(
      config,
      lazyConnection(
        () => connectorFor(owner, alias),
        () => !owner.users.has(alias),
        alias,
      ),
      {
        alias,
        onClose: async () => {
          owner.users.delete(alias);
          if (owner.users.size === 0) await owner.connector?.close();
        },
      },
    );
    byAlias.set(alias, { cache, shared: owner });
  }

  const lookup = (alias: string) => {
    const found = byAlias.get(alias);
    if (found === undefined) throw new UnknownCacheAliasError(alias, aliases);
    return found;
  };

  return {
    get: (alias: string) => lookup(alias).cache,
    get default() {
      return lookup('default').cache;
    },
    aliases,
    connector: (alias: string) => connectorFor(lookup(alias).shared, alias),
    close: async () => {
      await Promise.all([...byAlias.values()].map(({ cache }) => cache.close()));
    },
  };
}

/**
 * django-redis's `get_redis_connection`: the raw ioredis client of `alias` — the master's by
 * default, or with `write: false` the one the alias's reads use now; for a cluster alias, an
 * ioredis `Cluster`.
 */
export function getRedisConnection(
  caches: Caches,
  alias = 'default',
  options: { write?: boolean } = {},
): CacheClient {
  return caches.get(alias).client(options);
}
