import { InvalidCacheConfigError } from '../errors.js';
import { CONNECTOR_OPTIONS, type ConnectorOptions } from './connector-options.js';

/** The options only a sentinel location reads, as `CONNECTOR_OPTIONS` marks them. */
export const SENTINEL_ONLY_OPTIONS = (
  Object.entries(CONNECTOR_OPTIONS) as [keyof ConnectorOptions, { sentinelOnly?: true }][]
)
  .filter(([, spec]) => spec.sentinelOnly === true)
  .map(([name]) => name);

/** Why the sentinel-only option `name` is refused on a cluster, and the fix: remove `what` (default: the option). */
export const sentinelOnlyFix = (name: string, what = `"${name}"`): { detail: string; fix: string } => ({
  detail: `a Redis Cluster has no sentinels, so "${name}" would be ignored`,
  fix: `Remove ${what}, or use a sentinel location ("redis+sentinel://…") if sentinels were meant`,
});

/**
 * Refuses the sentinel options given with a Redis Cluster location: a setting that silently does
 * nothing (a sentinel password, a failover hold) hides a config written for another topology.
 */
export function refuseSentinelOnly(options: ConnectorOptions): void {
  const given = SENTINEL_ONLY_OPTIONS.find((name) => options[name] !== undefined);
  if (given === undefined) return;
  throw new InvalidCacheConfigError(
    { problem: `Option "${given}" does not apply to a Redis Cluster location`, ...sentinelOnlyFix(given) },
    { alias: options.alias },
  );
}
