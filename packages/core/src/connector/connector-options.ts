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
  /** Milliseconds without any reply, while commands are pending, before a data socket is dropped and reopened. Default: none. */
  socketTimeout?: number;
  /** Where reads go. Default `'replicaPreferred'`. */
  readFrom?: ReadFrom;
  /** TLS to the data nodes: `true`, or `tls.connect` options. Default: what the location says (`rediss…`). */
  tls?: boolean | ConnectionOptions;
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
  /** Milliseconds between checks that the master the clients use is the one the sentinels name. Default 1000 ms. */
  masterCheckInterval?: number;
  /** Longest delay, in milliseconds, between two reconnect attempts to a data node. Default 200 ms. */
  maxReconnectDelay?: number;
  /**
   * Milliseconds a queued command waits for an unreachable master (or replica, for `readFrom:
   * 'replica'`) before it fails with `NodeUnavailableError`; checked four times per period, so the
   * wait is 1 to 1.25 times this. Default 15000 ms.
   */
  queueTimeout?: number;
}

export const CONNECTOR_DEFAULTS = {
  sentinelTimeout: 1000,
  socketConnectTimeout: 5000,
  readFrom: 'replicaPreferred' as ReadFrom,
  failoverHoldTimeout: 5000,
  masterCheckInterval: 1000,
  maxReconnectDelay: 200,
  queueTimeout: 15_000,
};
