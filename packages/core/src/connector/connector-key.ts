import { createHash } from 'node:crypto';
import { type Location, toLocation } from '../location/location.js';
import { CONNECTOR_OPTIONS, type ConnectorOptions } from './connector-options.js';

const secret = (value: string | undefined): string | null =>
  value === undefined ? null : createHash('sha256').update(value).digest('hex').slice(0, 16);

const where = (location: Location): unknown => {
  if (location.kind === 'sentinel') {
    const sentinels = location.sentinels.map((s) => `${s.host}:${s.port}`).sort();
    return ['sentinel', location.masterName, sentinels, location.tls];
  }
  if (location.kind === 'cluster') {
    return ['cluster', location.nodes.map((n) => `${n.host}:${n.port}`).sort(), location.tls];
  }
  return 'path' in location
    ? ['unix', location.path]
    : ['server', location.host, location.port, location.tls];
};

/**
 * The identity of the sockets a connector opens: equal keys mean two caches can share one connector.
 * It covers the topology, the db and every option `CONNECTOR_OPTIONS` marks as changing the sockets
 * (credentials, TLS, timeouts), not per-cache choices (`alias`, `logger`, `readFrom`, which
 * `replica()` takes per call). A location's credentials stand in for options not given. Passwords
 * enter only as a hash prefix, so the key is safe to log.
 */
export function connectorKey(options: ConnectorOptions): string {
  const location = toLocation(options.location);
  const fromLocation: Partial<ConnectorOptions> = {
    username: location.username,
    password: location.password,
  };
  const parts: unknown[] = [where(location), location.db];
  for (const [name, spec] of Object.entries(CONNECTOR_OPTIONS)) {
    if (spec.identity === false) continue;
    const key = name as keyof ConnectorOptions;
    const value = options[key] ?? fromLocation[key];
    parts.push(spec.identity === 'secret' ? secret(value as string | undefined) : (value ?? null));
  }
  return JSON.stringify(parts);
}
