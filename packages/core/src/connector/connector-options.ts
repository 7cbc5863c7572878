import type { ConnectionOptions } from 'node:tls';
import type { Location } from '../location/location.js';

/**
 * Where reads go. Both "preferred" modes fall back to the other side when their first choice has no
 * healthy node, and come back when one returns.
 */
export type ReadFrom = 'master' | 'masterPreferred' | 'replica' | 'replicaPreferred';

/** Where the connector reports what it does; any `console`-like object fits. */
export interface ConnectorLogger {
  debug?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
  error?(message: string, details?: Record<string, unknown>): void;
}

/**
 * Every option of a connector, declared once: the cache options take these by reference
 * (`CacheOptions`), and the defaults, the connector key and the environment variables derive from
 * `CONNECTOR_OPTIONS` below, which the compiler holds to this list.
 */
export interface ConnectorOptions {
  /** A location string (see `parseLocation`) or an already parsed `Location`. */
  location: string | Location;
  /** Data nodes' password; overrides the one in the location URL. Default: the location's, else none. */
  password?: string;
  /** Data nodes' ACL user; overrides the one in the location URL. Default: the location's, else none. */
  username?: string;
  /** Sentinels' password (never taken from the location). Default: none. */
  sentinelPassword?: string;
  /** Sentinels' ACL user. Default: none. */
  sentinelUsername?: string;
  /** Milliseconds to wait for one sentinel (connect and answer) before asking the next. Default 1000 ms. */
  sentinelTimeout?: number;
  /**
   * Milliseconds to wait for a data node's TCP/TLS connect, and again for its handshake (AUTH,
   * SELECT, role check), since a paused node accepts the socket but never answers. Default 5000 ms.
   */
  socketConnectTimeout?: number;
  /**
   * Milliseconds a data node may answer nothing while a command awaits its reply before its socket
   * is dropped and reopened, so a master behind a partition that drops packets without closing the
   * socket is noticed (within 1 to 1.5 times this); the commands in flight fail with
   * `OutcomeUnknownError`, the queued ones go to the new connection. A blocking command awaiting its
   * reply (BLPOP and the other B… commands, XREAD/XREADGROUP, WAIT, WAITAOF) stops the clock; any
   * other command that takes longer than this (a slow script, KEYS on a huge db) fails. `0` turns
   * the check off. Default 5000 ms.
   */
  socketTimeout?: number;
  /**
   * Where reads go: `'master'`; `'replica'`, which waits (up to `queueTimeout` ms) while no replica
   * can serve; `'replicaPreferred'` and `'masterPreferred'`, which fall back to the other side while
   * their first choice is down. On a Redis Cluster, per slot. Default `'replicaPreferred'`.
   */
  readFrom?: ReadFrom;
  /** TLS to the data nodes: `true`, or `tls.connect` options. Default: what the location says (`rediss…`). */
  tls?: boolean | ConnectionOptions;
  /**
   * TLS to the sentinels: `true`, `false` (sentinels on plain ports while the data nodes use TLS), or
   * `tls.connect` options. Default: the same as the data nodes' (`tls`, else the location's `rediss…`).
   */
  sentinelTls?: boolean | ConnectionOptions;
  /** Addresses the sentinels announce → addresses this process can reach (`'10.0.0.1:6379'` → `{ host, port }`). Default: none. */
  natMap?: Record<string, { host: string; port: number }>;
  /** The cache alias, named in errors and logs. Default: none. */
  alias?: string;
  /** Where warnings and debug lines go. Default: nowhere. */
  logger?: ConnectorLogger;
  /**
   * Milliseconds new writes wait after a sentinel opens a failover (`+try-failover`, `+selected-slave`,
   * `+promoted-slave`) for the `+switch-master` or an abort; then they go to whatever the sentinels
   * name. Default 5000 ms.
   */
  failoverHoldTimeout?: number;
  /**
   * Milliseconds between checks that the master the clients use is the one the sentinels name; on a
   * Redis Cluster, between refreshes of the slot map (it is also refreshed on MOVED and on every
   * retry). Default 1000 ms.
   */
  masterCheckInterval?: number;
  /** Longest delay, in milliseconds, between two reconnect attempts to a data node. Default 200 ms. */
  maxReconnectDelay?: number;
  /**
   * Milliseconds a queued command waits for an unreachable master (or replica, for `readFrom:
   * 'replica'`; on a Redis Cluster, for a slot's replica) before it fails with `NodeUnavailableError`, and a command written to a socket that
   * died unanswered waits for a connection to resend it on before it fails with
   * `OutcomeUnknownError` (it may have been applied); checked four times per period, so the wait is
   * 1 to 1.25 times this. Default 15000 ms.
   */
  queueTimeout?: number;
}

/** How an option's value is read from a `CACHES_<ALIAS>_<SUFFIX>` environment variable. */
export type EnvKind = 'text' | 'milliseconds' | 'boolean' | 'readFrom';

/** What the rest of the package needs to know about one option. */
export interface OptionSpec<T> {
  /** The value when the option is not given; `undefined` where "not given" means "none". */
  default: T | undefined;
  /**
   * How the option enters the connector key (whether two caches may share sockets): `'value'` as
   * given, `'secret'` as a hash prefix, `false` when it does not change what the sockets are.
   */
  identity: 'value' | 'secret' | false;
  /** Its environment variable, when it has one: the suffix after `CACHES_<ALIAS>_`, and how to read it. */
  env?: { suffix: string; kind: EnvKind };
  /** Only a sentinel location reads it: on a Redis Cluster location it is refused, not ignored. */
  sentinelOnly?: true;
}

type Specs = { [K in keyof ConnectorOptions]-?: OptionSpec<Exclude<ConnectorOptions[K], undefined>> };

/** The declaration every option's default, key part and environment variable come from. */
export const CONNECTOR_OPTIONS = {
  location: { default: undefined, identity: false },
  password: { default: undefined, identity: 'secret', env: { suffix: 'PASSWORD', kind: 'text' } },
  username: { default: undefined, identity: 'value', env: { suffix: 'USERNAME', kind: 'text' } },
  sentinelPassword: {
    default: undefined,
    identity: 'secret',
    env: { suffix: 'SENTINEL_PASSWORD', kind: 'text' },
    sentinelOnly: true,
  },
  sentinelUsername: {
    default: undefined,
    identity: 'value',
    env: { suffix: 'SENTINEL_USERNAME', kind: 'text' },
    sentinelOnly: true,
  },
  sentinelTimeout: {
    default: 1000,
    identity: 'value',
    env: { suffix: 'SENTINEL_TIMEOUT', kind: 'milliseconds' },
    sentinelOnly: true,
  },
  socketConnectTimeout: {
    default: 5000,
    identity: 'value',
    env: { suffix: 'SOCKET_CONNECT_TIMEOUT', kind: 'milliseconds' },
  },
  socketTimeout: {
    default: 5000,
    identity: 'value',
    env: { suffix: 'SOCKET_TIMEOUT', kind: 'milliseconds' },
  },
  // Per cache, not per socket: `replica(readFrom)` takes it per call.
  readFrom: { default: 'replicaPreferred', identity: false, env: { suffix: 'READ_FROM', kind: 'readFrom' } },
  tls: { default: undefined, identity: 'value', env: { suffix: 'TLS', kind: 'boolean' } },
  sentinelTls: {
    default: undefined,
    identity: 'value',
    env: { suffix: 'SENTINEL_TLS', kind: 'boolean' },
    sentinelOnly: true,
  },
  natMap: { default: undefined, identity: 'value' },
  alias: { default: undefined, identity: false },
  logger: { default: undefined, identity: false },
  failoverHoldTimeout: {
    default: 5000,
    identity: 'value',
    env: { suffix: 'FAILOVER_HOLD_TIMEOUT', kind: 'milliseconds' },
    sentinelOnly: true,
  },
  masterCheckInterval: {
    default: 1000,
    identity: 'value',
    env: { suffix: 'MASTER_CHECK_INTERVAL', kind: 'milliseconds' },
  },
  maxReconnectDelay: {
    default: 200,
    identity: 'value',
    env: { suffix: 'MAX_RECONNECT_DELAY', kind: 'milliseconds' },
  },
  queueTimeout: {
    default: 15_000,
    identity: 'value',
    env: { suffix: 'QUEUE_TIMEOUT', kind: 'milliseconds' },
  },
} as const satisfies Specs;

/** The option names a cache config passes to its connector: all but `location` and `alias`. */
export type PassedOption = Exclude<keyof ConnectorOptions, 'location' | 'alias'>;

export const PASSED_OPTIONS = (Object.keys(CONNECTOR_OPTIONS) as (keyof ConnectorOptions)[]).filter(
  (name): name is PassedOption => name !== 'location' && name !== 'alias',
);

type WithDefault = {
  [K in keyof typeof CONNECTOR_OPTIONS]: (typeof CONNECTOR_OPTIONS)[K]['default'] extends undefined
    ? never
    : K;
}[keyof typeof CONNECTOR_OPTIONS];

/** The options that have a default, resolved: what the connector actually runs with. */
export type ConnectorSettings = { [K in WithDefault]-?: Exclude<ConnectorOptions[K], undefined> };

/** `options` with every default filled in, for the options that have one. */
export function resolveSettings(options: ConnectorOptions): ConnectorSettings {
  const settings: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONNECTOR_OPTIONS)) {
    if (spec.default === undefined) continue;
    settings[name] = options[name as keyof ConnectorOptions] ?? spec.default;
  }
  return settings as ConnectorSettings;
}
