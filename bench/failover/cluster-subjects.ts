import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
// Sources, not dist: the benchmark measures the code in this checkout without a build step.
import { createClusterConnector } from '../../packages/core/src/index.js';
import type { Cluster as ClusterTopology } from '../../packages/testkit/src/index.js';
import { connectorSubject, ioredisSubject, nodeRedisSubject, type Subject } from './subjects.js';

/** One client under test on a Redis Cluster, built from every node as a seed. */
export type ClusterSubjectFactory = (cluster: ClusterTopology) => Promise<Subject>;

const seeds = (cluster: ClusterTopology) => cluster.nodes.map((n) => ({ host: n.host, port: n.port }));

/** `createConnector` refuses a cluster location (it follows one master): the cluster connector is its counterpart. */
export const sentinelKitCluster: ClusterSubjectFactory = (cluster) =>
  connectorSubject(
    createClusterConnector({ location: cluster.location, password: cluster.password, alias: 'bench' }),
  );

export const ioredisClusterDefaults: ClusterSubjectFactory = (cluster) =>
  ioredisSubject(
    'ioredis 6 Cluster defaults',
    new Cluster(seeds(cluster), { redisOptions: { password: cluster.password } }),
  );

export const nodeRedisCluster: ClusterSubjectFactory = (cluster) =>
  nodeRedisSubject(
    'node-redis 5 createCluster',
    createCluster({
      rootNodes: seeds(cluster).map((n) => ({ url: `redis://${n.host}:${n.port}` })),
      defaults: { password: cluster.password },
    }),
  );

export const CLUSTER_SUBJECTS: ClusterSubjectFactory[] = [
  sentinelKitCluster,
  ioredisClusterDefaults,
  nodeRedisCluster,
];
