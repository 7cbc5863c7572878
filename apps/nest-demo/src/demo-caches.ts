import { type CacheConfig, cachesFromEnv, maskLocation } from '@sentinel-kit/core';
import { startTopology, type Topology } from '@sentinel-kit/testkit';

/** The caches the demo serves and where they live. */
export interface DemoCaches {
  /** Django's `CACHES`: `default` and `hp`. */
  config: Record<string, CacheConfig>;
  /** Each alias's location with any password masked, for display. */
  locations: Record<string, string>;
  /** The embedded topology, when the demo started one (no `CACHES_*` variables set). */
  topology: Topology | undefined;
  /** Stops the embedded topology, if any. */
  stop(): Promise<void>;
}

const hasCachesEnv = (env: NodeJS.ProcessEnv) => Object.keys(env).some((name) => name.startsWith('CACHES_'));

/** The demo's `CACHES` on a topology: `default` (prefix `dj`, db 0) and `hp` (prefix `dj:bi`, db 1). */
export function demoCachesConfig(topology: Topology): Record<string, CacheConfig> {
  const options = { password: topology.password };
  return {
    default: { location: topology.location, keyPrefix: 'dj', options },
    // The hit counter reads its own writes, so this alias reads from the master.
    hp: {
      location: topology.locationFor(1),
      keyPrefix: 'dj:bi',
      options: { ...options, readFrom: 'master' },
    },
  };
}

/**
 * The `CACHES_*` environment when set (twelve-factor deployments, see `cachesFromEnv`), else a
 * small embedded topology — 1 master, 2 replicas, 3 sentinels — so the demo needs nothing but
 * redis-server.
 */
export async function startDemoCaches(env: NodeJS.ProcessEnv = process.env): Promise<DemoCaches> {
  let topology: Topology | undefined;
  let config: Record<string, CacheConfig>;
  if (hasCachesEnv(env)) {
    config = cachesFromEnv(env);
  } else {
    topology = await startTopology({
      replicas: 2,
      sentinels: 3,
      downAfterMs: 1000,
      password: 'demo-password',
    });
    config = demoCachesConfig(topology);
  }
  const locations = Object.fromEntries(
    Object.entries(config).map(([alias, c]) => [alias, maskLocation(c.location)]),
  );
  return { config, locations, topology, stop: async () => topology?.stop() };
}
