import { ClusterAdmin, type Location, type NodeAddress, type ProbeRoleOptions } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';

export type ClusterLocation = Extract<Location, { kind: 'cluster' }>;

/** The Redis Cluster a command works on: a ClusterAdmin on its seed nodes, and how to reach any node. */
export interface ClusterTarget {
  admin: ClusterAdmin;
  seeds: NodeAddress[];
  /** Credentials and timeout for `probeRole` on the nodes. */
  dataNode: ProbeRoleOptions;
}

/**
 * Opens a ClusterAdmin on the location's seed nodes. Credentials: the `--password`/`--username`
 * flags, else the environment, else the location URL's own (a cluster has no sentinel credentials).
 */
export function openClusterTarget(args: CliArgs, location: ClusterLocation): ClusterTarget {
  const dataNode: ProbeRoleOptions = {
    username: args.username ?? location.username,
    password: args.password ?? location.password,
    tls: location.tls,
    timeoutMs: args.timeoutMs,
  };
  return {
    admin: new ClusterAdmin({ nodes: location.nodes, ...dataNode }),
    seeds: location.nodes,
    dataNode,
  };
}
