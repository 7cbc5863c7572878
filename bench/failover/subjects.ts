import { type Cluster, Redis } from 'ioredis';
import { createSentinel, type RedisClusterType, type RedisSentinelType } from 'redis';
// Sources, not dist: the benchmark measures the code in this checkout without a build step.
import { type ClusterConnector, type Connector, createConnector } from '../../packages/core/src/index.js';
import type { Topology } from '../../packages/testkit/src/index.js';

/** One client under test: how to RPUSH, and how to let go of every socket. */
export interface Subject {
  name: string;
  rpush(key: string, value: string): Promise<unknown>;
  close(): Promise<void>;
}

export type SubjectFactory = (topo: Topology) => Promise<Subject>;

/** A sentinel-kit connector, sentinel or cluster: writes go through `master()`. */
export async function connectorSubject(
  connector: Connector | ClusterConnector,
  name = 'sentinel-kit',
): Promise<Subject> {
  connector.on('error', () => {});
  await connector.master().ping();
  return {
    name,
    rpush: (key, value) => connector.master().rpush(key, value),
    close: () => connector.close(),
  };
}

/** An ioredis client, `Redis` or `Cluster`, with its errors silenced (they are counted as failed writes). */
export async function ioredisSubject(name: string, client: Redis | Cluster): Promise<Subject> {
  client.on('error', () => {});
  client.on('node error', () => {});
  await client.ping();
  return { name, rpush: (key, value) => client.rpush(key, value), close: async () => client.disconnect() };
}

/** A node-redis client, connected here. */
export async function nodeRedisSubject(
  name: string,
  client: Pick<RedisSentinelType, 'on' | 'connect' | 'rPush' | 'destroy'> | RedisClusterType,
): Promise<Subject> {
  client.on('error', () => {});
  await client.connect();
  return {
    name,
    rpush: (key, value) => client.rPush(key, value),
    close: async () => {
      client.destroy();
    },
  };
}

const sentinelsOf = (topo: Topology) => topo.sentinels.map((s) => ({ host: s.host, port: s.port }));

export const sentinelKit: SubjectFactory = (topo) =>
  connectorSubject(createConnector({ location: topo.location, password: topo.password, alias: 'bench' }));

export const ioredisDefaults: SubjectFactory = (topo) =>
  ioredisSubject(
    'ioredis 6 defaults',
    new Redis({ sentinels: sentinelsOf(topo), name: topo.masterName, password: topo.password }),
  );

export const nodeRedisSentinel: SubjectFactory = (topo) =>
  nodeRedisSubject(
    'node-redis 5 createSentinel',
    createSentinel({
      name: topo.masterName,
      sentinelRootNodes: sentinelsOf(topo),
      nodeClientOptions: { password: topo.password },
    }),
  );

export const SUBJECTS: SubjectFactory[] = [sentinelKit, ioredisDefaults, nodeRedisSentinel];
