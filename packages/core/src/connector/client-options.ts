import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';
import type { NodeAddress } from '../errors.js';
import type { Location, OneMasterLocation } from '../location/location.js';
import { parseNodeKey } from '../shared/node-key.js';
import type { ConnectorOptions, ConnectorSettings } from './connector-options.js';
import type { ReconnectDelay } from './ioredis/client-internals.js';

export type ClientRole = 'master' | 'replica';

export interface ClientOptionsInput {
  role: ClientRole;
  location: OneMasterLocation;
  options: ConnectorOptions;
  settings: ConnectorSettings;
  delay: ReconnectDelay;
  /**
   * Every address ioredis resolves for this client, after the user's `natMap`: returns the node to
   * dial (the failover state answers for the write client) and lets the caller record it.
   */
  resolved(address: NodeAddress): NodeAddress;
  /** What the connection is for, in its `CLIENT LIST` name. Default: the role. */
  purpose?: string;
  /**
   * A RESP2 connection whose subscriptions the caller makes again on every reconnect: a subscriber
   * that must ask `CLIENT ID` first, which a resubscribed RESP2 connection can no longer run.
   */
  subscriber?: boolean;
}

const asTls = (tls: boolean | ConnectionOptions): ConnectionOptions | undefined =>
  tls === false ? undefined : tls === true ? {} : tls;

/** TLS to the data nodes: the option when given, else what the location's scheme says. */
export function tlsOptions(options: ConnectorOptions, location: Location): ConnectionOptions | undefined {
  return asTls(options.tls ?? location.tls);
}

/** TLS to the sentinels: `sentinelTls` when given, else the same as the data nodes'. */
export function sentinelTlsOptions(
  options: ConnectorOptions,
  location: Location,
): ConnectionOptions | undefined {
  return asTls(options.sentinelTls ?? options.tls ?? location.tls);
}

/**
 * The ioredis options of one connector client. For a sentinel location they configure ioredis's own
 * sentinel connector: ask the sentinels on every (re)connect, with a short capped retry, and no
 * failover detector of its own (the connector subscribes to every sentinel once for both clients).
 */
export function clientOptions(input: ClientOptionsInput): RedisOptions {
  const { role, location, options, settings, delay } = input;
  const tls = tlsOptions(options, location);
  const common: RedisOptions = {
    db: location.db,
    username: options.username ?? location.username,
    password: options.password ?? location.password,
    connectTimeout: settings.socketConnectTimeout,
    retryStrategy: delay.strategy,
    // Commands wait for the master in the offline queue; `queueTimeout` bounds that wait in time.
    maxRetriesPerRequest: null,
    // `TrackedClient` connects once its hooks on the client's internals are in place.
    lazyConnect: true,
    tls,
    // Names the connection in CLIENT LIST, so operators (and tests) can tell whose socket it is.
    connectionName: `sentinel-kit:${(options.alias ?? 'connector').replace(/\s/g, '_')}:${input.purpose ?? role}`,
    // ioredis 6 speaks RESP3 by default, and drops the pub/sub pushes it does not know (invalidate).
    ...(input.subscriber ? { protocol: 2, autoResubscribe: false } : {}),
  };
  if (location.kind !== 'sentinel') {
    return 'path' in location
      ? { ...common, path: location.path }
      : { ...common, host: location.host, port: location.port };
  }
  const userNat = options.natMap;
  return {
    ...common,
    sentinels: location.sentinels,
    name: location.masterName,
    role: role === 'master' ? 'master' : 'slave',
    sentinelUsername: options.sentinelUsername,
    sentinelPassword: options.sentinelPassword,
    sentinelCommandTimeout: settings.sentinelTimeout,
    sentinelTLS: sentinelTlsOptions(options, location),
    enableTLSForSentinelMode: tls !== undefined,
    sentinelRetryStrategy: (attempt) =>
      Math.min(attempt * 50, role === 'master' ? settings.maxReconnectDelay : 1000),
    failoverDetector: false,
    // A demoted master answers READONLY: reconnect (which asks the sentinels again) and resend.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
    // ioredis hands every address it resolves, as `host:port`, to this hook.
    natMap: (key: string) => {
      return input.resolved(userNat?.[key] ?? parseNodeKey(key));
    },
  };
}
