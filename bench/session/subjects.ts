import { createCaches } from '@sentinel-kit/core';
import { SentinelSessionStore } from '@sentinel-kit/express-session';
import type { Topology } from '@sentinel-kit/testkit';
import { RedisStore } from 'connect-redis';
import type { Store } from 'express-session';
import { createSentinel } from 'redis';

/** A session store under test, and how to let go of its sockets. */
export interface SessionSubject {
  name: string;
  store: Store;
  close(): Promise<void>;
}

export type SessionSubjectFactory = (topo: Topology) => Promise<SessionSubject>;

const sentinelKit =
  (name: string, durability?: { replicas: number; timeout: number }): SessionSubjectFactory =>
  async (topo) => {
    const caches = createCaches({
      default: { location: topo.location, keyPrefix: 'dj', options: { password: topo.password } },
    });
    const store = new SentinelSessionStore({ caches, durability });
    await caches.get('default').client({ write: true }).ping();
    return { name, store, close: () => caches.close() };
  };

/** The peer: connect-redis 9 as its README shows it, on node-redis 5's sentinel client. */
const connectRedisOnNodeRedis: SessionSubjectFactory = async (topo) => {
  const client = createSentinel({
    name: topo.masterName,
    sentinelRootNodes: topo.sentinels.map((s) => ({ host: s.host, port: s.port })),
    nodeClientOptions: { password: topo.password },
  });
  client.on('error', () => {});
  await client.connect();
  return {
    name: 'connect-redis 9 on node-redis 5 createSentinel',
    store: new RedisStore({ client, prefix: 'peer:sess:' }),
    close: async () => {
      client.destroy();
    },
  };
};

export const SESSION_SUBJECTS: SessionSubjectFactory[] = [
  sentinelKit('sentinel-kit SentinelSessionStore'),
  connectRedisOnNodeRedis,
  sentinelKit('sentinel-kit SentinelSessionStore + durability { replicas: 1, timeout: 50 }', {
    replicas: 1,
    timeout: 50,
  }),
];
