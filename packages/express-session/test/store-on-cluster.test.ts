import { randomUUID } from 'node:crypto';
import {
  type Caches,
  createCaches,
  getRedisConnection,
  keySlot,
  UnsupportedLocationError,
} from '@sentinel-kit/core';
import { SentinelSessionStore } from '@sentinel-kit/express-session';
import { type Cluster, startCluster } from '@sentinel-kit/testkit';
import express from 'express';
import expressSession, { type SessionData, type Store } from 'express-session';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'sess-cluster';

let cluster: Cluster;
let caches: Caches;

beforeAll(async () => {
  cluster = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD });
  caches = createCaches({
    // readFrom 'replica' on purpose: sessions must be read from the masters all the same.
    default: {
      location: cluster.location,
      keyPrefix: 'dj',
      options: { password: PASSWORD, readFrom: 'replica' },
    },
    other: { location: cluster.location, keyPrefix: 'site', options: { password: PASSWORD } },
  });
});

afterAll(async () => {
  await caches?.close();
  await cluster?.stop();
});

const session = (extra: Record<string, unknown> = {}): SessionData =>
  ({ cookie: { originalMaxAge: null, httpOnly: true, path: '/' }, ...extra }) as unknown as SessionData;

/** Sum over every node of one INFO field: `errorstat_CROSSSLOT` `count`, `cmdstat_get` `calls`. */
async function statSum(
  nodes: Cluster['nodes'],
  section: string,
  entry: string,
  field: string,
): Promise<number> {
  const counts = await Promise.all(
    nodes.map(async (node) => {
      const info = await cluster.client(node).info(section);
      return Number(new RegExp(`${entry}:.*?\\b${field}=(\\d+)`).exec(info)?.[1] ?? 0);
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

const crossSlotErrors = () => statSum(cluster.nodes, 'errorstats', 'errorstat_CROSSSLOT', 'count');

/** Session ids whose keys (`dj:1:<prefix><sid>`) land on every master. */
function sidsOnEveryMaster(prefix: string, count = 30): string[] {
  const sids = Array.from({ length: count }, () => randomUUID());
  const shards = new Set(sids.map((sid) => cluster.shardOf(keySlot(`dj:1:${prefix}${sid}`))));
  expect(shards.size).toBe(3);
  return sids;
}

/** An express app counting visits in the session, the way a site uses a store. */
function counterApp(store: Store) {
  const app = express();
  app.use(expressSession({ store, secret: 'test', resave: false, saveUninitialized: false }));
  app.post('/login', (req, res) => {
    (req.session as unknown as { user: string }).user = 'ada';
    res.redirect(303, '/');
  });
  app.get('/', (req, res) => {
    const s = req.session as unknown as { user?: string; n?: number };
    s.n = (s.n ?? 0) + 1;
    res.json({ user: s.user ?? null, n: s.n });
  });
  return app;
}

describe('SentinelSessionStore on a Redis Cluster alias', () => {
  it('keys sessions through the cache’s key function and reads them back, on every master', async () => {
    const prefix = `keys-${randomUUID().slice(0, 8)}:`;
    const store = new SentinelSessionStore({ caches, prefix });
    const sids = sidsOnEveryMaster(prefix);
    for (const sid of sids) await store.set(sid, session({ sid }));
    const client = getRedisConnection(caches, 'default', { write: true });
    for (const sid of sids) {
      expect(JSON.parse((await client.get(`dj:1:${prefix}${sid}`)) as string)).toMatchObject({ sid });
      expect(await store.get(sid)).toMatchObject({ sid });
    }
    expect(store.keyBase).toBe(`dj:1:${prefix}`);
  });

  it('a turn’s commands on many slots never cross slots (the pipeline goes per slot)', async () => {
    const prefix = `turn-${randomUUID().slice(0, 8)}:`;
    const store = new SentinelSessionStore({ caches, prefix });
    const sids = sidsOnEveryMaster(prefix, 60);
    const errorsBefore = await crossSlotErrors();
    await Promise.all(sids.map((sid, n) => store.set(sid, session({ n }))));
    expect(await Promise.all(sids.map((sid) => store.get(sid)))).toEqual(
      sids.map((_, n) => expect.objectContaining({ n })),
    );
    await Promise.all(sids.map((sid, n) => store.touch(sid, session({ n }))));
    await Promise.all(sids.slice(0, 30).map((sid) => store.destroy(sid)));
    expect(await Promise.all(sids.map((sid) => store.get(sid)))).toEqual(
      sids.map((_, n) => (n < 30 ? null : expect.objectContaining({ n }))),
    );
    expect(await crossSlotErrors()).toBe(errorsBefore);
  });

  it('reads sessions from the masters only, whatever the cache’s readFrom', async () => {
    const prefix = `master-${randomUUID().slice(0, 8)}:`;
    const store = new SentinelSessionStore({ caches, prefix });
    const sids = sidsOnEveryMaster(prefix);
    await Promise.all(sids.map((sid) => store.set(sid, session())));
    const replicas = (await Promise.all([0, 1, 2].map((i) => cluster.replicasOf(i)))).flat();
    const before = await statSum(replicas, 'commandstats', 'cmdstat_get', 'calls');
    for (const sid of sids) expect(await store.get(sid)).not.toBeNull();
    expect(await statSum(replicas, 'commandstats', 'cmdstat_get', 'calls')).toBe(before);
  });

  it('ids, length, all and clear see every master and leave other prefixes and caches alone', async () => {
    const prefix = `bulk-${randomUUID().slice(0, 8)}:`;
    const store = new SentinelSessionStore({ caches, prefix, scanCount: 7 });
    const neighbour = new SentinelSessionStore({ caches, prefix: `${prefix}x` });
    const site = new SentinelSessionStore({ caches, alias: 'other', prefix });
    const sids = sidsOnEveryMaster(prefix);
    await Promise.all(sids.map((sid, n) => store.set(sid, session({ n }))));
    await neighbour.set('kept', session());
    await site.set('kept', session());
    const errorsBefore = await crossSlotErrors();

    expect(((await store.ids()) as string[]).filter((id) => !id.startsWith('x')).sort()).toEqual(
      [...sids].sort(),
    );
    expect(await store.length()).toBe(sids.length + 1);
    const all = (await store.all()) as (SessionData & { id: string; n?: number })[];
    expect(all.filter((s) => s.n !== undefined).map((s) => [s.id, s.n])).toEqual(
      expect.arrayContaining(sids.map((sid, n) => [sid, n])),
    );
    await neighbour.destroy('kept');
    await store.clear();
    expect(await store.length()).toBe(0);
    expect(await site.get('kept')).not.toBeNull();
    expect(await crossSlotErrors()).toBe(errorsBefore);
  });

  it('lets logins followed by redirects read their own writes, many at once', async () => {
    const app = counterApp(new SentinelSessionStore({ caches, prefix: `ryw-${randomUUID()}:` }));
    const agents = Array.from({ length: 20 }, () => request.agent(app));
    await Promise.all(
      agents.map(async (agent) => {
        for (let i = 0; i < 3; i++) {
          await agent.post('/login').expect(303);
          expect((await agent.get('/')).body.user).toBe('ada');
        }
      }),
    );
  });

  it('refuses durability (WAIT) with UnsupportedLocationError naming the alias and the option', () => {
    const make = () => new SentinelSessionStore({ caches, durability: { replicas: 1, timeout: 100 } });
    expect(make).toThrow(UnsupportedLocationError);
    expect(make).toThrow(/"durability".*Redis Cluster.*cache "default"/);
  });
});
