import { Redis } from 'ioredis';
import { createSentinel } from 'redis';
// Sources, not dist: the benchmark measures the code in this checkout without a build step.
import { createConnector } from '../../packages/core/src/index.js';
import type { Topology } from '../../packages/testkit/src/index.js';

/** One client under test: how to RPUSH, and how to let go of every socket. */
export interface Subject {
  name: string;
  rpush(key: string, value: string): Promise<unknown>;
  close(): Promise<void>;
}

export type SubjectFactory = (topo: Topology) => Promise<Subject>;

const sentinelsOf = (topo: Topology) => topo.sentinels.map((s) => ({ host: s.host, port: s.port }));

export const sentinelKit: SubjectFactory = async (topo) => {
  const connector = createConnector({ location: topo.location, password: topo.password, alias: 'bench' });
  connector.on('error', () => {});
  await connector.master().ping();
  return {
    name: 'sentinel-kit',
    rpush: (key, value) => connector.master().rpush(key, value),
    close: () => connector.close(),
  };
};

export const ioredisDefaults: SubjectFactory = async (topo) => {
  const client = new Redis({ sentinels: sentinelsOf(topo), name: topo.masterName, password: topo.password });
  client.on('error', () => {});
  await client.ping();
  return {
    name: 'ioredis 6 defaults',
    rpush: (key, value) => client.rpush(key, value),
    close: async () => client.disconnect(),
  };
};

export const nodeRedisSentinel: SubjectFactory = async (topo) => {
  const client = createSentinel({
    name: topo.masterName,
    sentinelRootNodes: sentinelsOf(topo),
    nodeClientOptions: { password: topo.password },
  });
  client.on('error', () => {});
  await client.connect();
  return {
    name: 'node-redis 5 createSentinel',
    rpush: (key, value) => client.rPush(key, value),
    close: async () => {
      client.destroy();
    },
  };
};

export const SUBJECTS: SubjectFactory[] = [sentinelKit, ioredisDefaults, nodeRedisSentinel];
