import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
// Sources, not dist: the benchmark measures the code in this checkout without a build step.
import { createClusterConnector } from '../../packages/core/src/index.js';
import type { Cluster as ClusterTopology } from '../../packages/testkit/src/index.js';
import type { Subject } from './subjects.js';

/** One client under test on a Redis Cluster, built from every node as a seed. */
export type ClusterSubjectFactory = (cluster: ClusterTopology) => Promise<Subject>;

const seeds = (cluster: ClusterTopology) => cluster.nodes.map((n) => ({ host: n.host, port: n.port }));

/** `createConnector` refuses a cluster location (it follows one master): the cluster connector is its counterpart. */
export const sentinelKitCluster: ClusterSubjectFactory = async (cluster) => {
  const connector = createClusterConnector({
    location: cluster.location,
    password: cluster.password,
    alias: 'bench',
  });
  connector.on('error', () => {});
  await connector.master().ping();
  return {
    name: 'sentinel-kit',
    rpush: (key, value) => connector.master().rpush(key, value),
    close: () => connector.close(),
  };
};

export const ioredisClusterDefaults: ClusterSubjectFactory = async (cluster) => {
  const client = new Cluster(seeds(cluster), { redisOptions: { password: cluster.password } });
  client.on('error', () => {});
  client.on('node error', () => {});
  await client.ping();
  return {
    name: 'ioredis 6 Cluster defaults',
    rpush: (key, value) => client.rpush(key, value),
    close: async () => client.disconnect(),
  };
};

export const nodeRedisCluster: ClusterSubjectFactory = async (cluster) => {
  const client = createCluster({
    rootNodes: seeds(cluster).map((n) => ({ url: `redis://${n.host}:${n.port}` })),
    defaults: { password: cluster.password },
  });
  client.on('error', () => {});
  await client.connect();
  return {
    name: 'node-redis 5 createCluster',
    rpush: (key, value) => client.rPush(key, value),
    close: async () => {
      client.destroy();
    },
  };
};

export const CLUSTER_SUBJECTS: ClusterSubjectFactory[] = [
  sentinelKitCluster,
  ioredisClusterDefaults,
  nodeRedisCluster,
];
