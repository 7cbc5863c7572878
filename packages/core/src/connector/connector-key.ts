import { createHash } from 'node:crypto';
import { type Location, parseLocation } from '../location/location.js';
import type { ConnectorOptions } from './connector-options.js';

const secret = (value: string | undefined): string | null =>
  value === undefined ? null : createHash('sha256').update(value).digest('hex').slice(0, 16);

const where = (location: Location): unknown => {
  if (location.kind === 'sentinel') {
    const sentinels = location.sentinels.map((s) => `${s.host}:${s.port}`).sort();
    return ['sentinel', location.masterName, sentinels, location.tls];
  }
  return 'path' in location
    ? ['unix', location.path]
    : ['server', location.host, location.port, location.tls];
};

/**
 * The identity of the sockets a connector opens: equal keys mean two caches can share one connector.
 * It covers topology, db, credentials and connection options, not per-cache choices (`alias`,
 * `logger`, `readFrom`, which `replica()` takes per call). Passwords enter only as a hash prefix, so
 * the key is safe to log.
 */
export function connectorKey(options: ConnectorOptions): string {
  const location = typeof options.location === 'string' ? parseLocation(options.location) : options.location;
  return JSON.stringify([
    where(location),
    location.db,
    options.username ?? location.username ?? null,
    secret(options.password ?? location.password),
    options.sentinelUsername ?? null,
    secret(options.sentinelPassword),
    options.tls ?? null,
    options.natMap ?? null,
    options.sentinelTimeout ?? null,
    options.socketConnectTimeout ?? null,
    options.socketTimeout ?? null,
    options.failoverHoldTimeout ?? null,
    options.masterCheckInterval ?? null,
    options.maxReconnectDelay ?? null,
    options.queueTimeout ?? null,
  ]);
}
