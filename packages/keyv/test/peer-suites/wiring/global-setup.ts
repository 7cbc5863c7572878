import { startCluster, startTopology } from '@sentinel-kit/testkit';
import type { TestProject } from 'vitest/node';

let topology: { location: string; stop(): Promise<void> } | undefined;

/**
 * One topology for the whole run; its location goes to every worker. By default one master, one
 * replica and three sentinels; with PEER_TOPOLOGY=cluster a Redis Cluster of 3 masters with one
 * replica each, so the peers' suites run against a cluster alias.
 */
export async function setup(project: TestProject): Promise<void> {
  topology =
    process.env.PEER_TOPOLOGY === 'cluster'
      ? await startCluster({ masters: 3, replicasPerMaster: 1 })
      : await startTopology({ replicas: 1, sentinels: 3 });
  project.provide('peerLocation', topology.location);
}

export async function teardown(): Promise<void> {
  await topology?.stop();
}
