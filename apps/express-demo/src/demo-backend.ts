import { type CacheConfig, type Caches, cachesFromEnv, createCaches, maskLocation } from '@sentinel-kit/core';
import { startTopology, type Topology } from '@sentinel-kit/testkit';

/** Where the demo keeps its sessions, and the admin controls it offers. */
export interface DemoBackend {
  caches: Caches;
  /** The session alias's location with any password masked, for display. */
  location: string;
  /** The embedded topology, when the demo started one (no `CACHES_*` variables set). */
  topology: Topology | undefined;
  failover(): Promise<void>;
  currentMaster(): Promise<string>;
  /** Closes the caches and stops the embedded topology, if any. */
  stop(): Promise<void>;
}

/** The alias that holds sessions, as Django's `SESSION_CACHE_ALIAS`. */
export const SESSION_ALIAS = 'default';

const hasCachesEnv = (env: NodeJS.ProcessEnv) => Object.keys(env).some((name) => name.startsWith('CACHES_'));

/**
 * Uses the `CACHES_*` environment when set (twelve-factor deployments), else starts a small
 * embedded topology (1 master, 2 replicas, 3 sentinels) so the demo runs with nothing installed
 * but redis-server.
 */
export async function startDemoBackend(env: NodeJS.ProcessEnv = process.env): Promise<DemoBackend> {
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
    config = {
      [SESSION_ALIAS]: {
        location: topology.location,
        keyPrefix: 'dj',
        options: { password: topology.password },
      },
    };
  }
  const caches = createCaches(config);
  const sessionConfig = config[SESSION_ALIAS];
  const admin = () => caches.connector(SESSION_ALIAS).sentinels();
  return {
    caches,
    location: sessionConfig === undefined ? '(none)' : maskLocation(sessionConfig.location),
    topology,
    failover: () => admin().failover(),
    currentMaster: async () => {
      const { host, port } = await admin().masterAddress();
      return `${host}:${port}`;
    },
    stop: async () => {
      await caches.close();
      await topology?.stop();
    },
  };
}
