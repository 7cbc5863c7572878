import { startTopology, type Topology } from '@sentinel-kit/testkit';
import type { TestProject } from 'vitest/node';

let topology: Topology | undefined;

/** One master, one replica, three sentinels for the whole run; its location goes to every worker. */
export async function setup(project: TestProject): Promise<void> {
  topology = await startTopology({ replicas: 1, sentinels: 3 });
  project.provide('peerLocation', topology.location);
}

export async function teardown(): Promise<void> {
  await topology?.stop();
}
