import { createHmac, randomUUID } from 'node:crypto';
import {
  type Caches,
  createCache,
  createCaches,
  createConnector,
  getRedisConnection,
} from '@sentinel-kit/core';
import { SentinelSessionStore } from '@sentinel-kit/express-session';
import { freePorts, startTopology, type Topology } from '@sentinel-kit/testkit';
import express from 'express';
import expressSession, { type SessionData, type Store } from 'express-session';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let topo: Topology;
let caches: Caches;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, password: 'topo-secret' });
  caches = createCaches({
    // readFrom 'replica' on purpose: sessions must be read from the master all the same.
    default: {
      location: topo.location,
      keyPrefix: 'dj',
      options: { password: topo.password, readFrom: 'replica' },
    },
    other: {
      location: topo.locationFor(1),
      keyPrefix: 'site',
      version: 3,
      options: { password: topo.password },
    },
  });
});

afterAll(async () => {
  await caches?.close();
  await topo?.stop();
});

const session = (extra: Record<string, unknown> = {}): SessionData =>
  ({ cookie: { originalMaxAge: null, httpOnly: true, path: '/' }, ...extra }) as unknown as SessionData;

async function commandCalls(client: ReturnType<Topology['client']>, command: string): Promise<number> {
  const info = await client.info('commandstats');
  const match = new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info);
  return Number(match?.[1] ?? 0);
}

/** A session cookie express-session accepts (signed with the app's secret 'test'), for session `sid`. */
const signedCookie = (sid: string) =>
  `connect.sid=${encodeURIComponent(`s:${sid}.${createHmac('sha256', 'test').update(sid).digest('base64').replace(/=+$/, '')}`)}`;

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

describe('SentinelSessionStore on a sentinel topology', () => {
  it('keys sessions through the alias cache’s key function (dj:1:sess:<sid>, site:3:sess:<sid>)', async () => {
    const sid = randomUUID();
    const dj = new SentinelSessionStore({ caches });
    const site = new SentinelSessionStore({ caches, alias: 'other' });
    await dj.set(sid, session({ who: 'dj' }));
    await site.set(sid, session({ who: 'site' }));
    const master = getRedisConnection(caches, 'default', { write: true });
    expect(JSON.parse((await master.get(`dj:1:sess:${sid}`)) as string)).toMatchObject({ who: 'dj' });
    expect(await getRedisConnection(caches, 'other').get(`site:3:sess:${sid}`)).toContain('"who":"site"');
    expect(await dj.get(sid)).toMatchObject({ who: 'dj' });
    expect(await site.get(sid)).toMatchObject({ who: 'site' });
    expect(dj.alias).toBe('default');
  });

  it('works from one cache too ({ cache }), using that cache’s master client', async () => {
    const store = new SentinelSessionStore({ cache: caches.get('default'), prefix: 'web:' });
    const sid = randomUUID();
    await store.set(sid, session({ n: 7 }));
    expect(await store.get(sid)).toMatchObject({ n: 7 });
    expect(store.keyBase).toBe('dj:1:web:');
  });

  it('reads sessions from the master only, whatever the cache’s readFrom', async () => {
    const store = new SentinelSessionStore({ caches });
    const sid = randomUUID();
    await store.set(sid, session());
    const replica = topo.client((await topo.replicas())[0] as Parameters<Topology['client']>[0]);
    const master = topo.client('master');
    const [replicaBefore, masterBefore] = [
      await commandCalls(replica, 'get'),
      await commandCalls(master, 'get'),
    ];
    for (let i = 0; i < 50; i++) expect(await store.get(sid)).not.toBeNull();
    expect(await commandCalls(replica, 'get')).toBe(replicaBefore);
    expect(await commandCalls(master, 'get')).toBeGreaterThanOrEqual(masterBefore + 50);
  });

  it('lets a login followed by a redirect read its own write', async () => {
    const agent = request.agent(
      counterApp(new SentinelSessionStore({ caches, prefix: `ryw-${randomUUID()}:` })),
    );
    for (let i = 0; i < 20; i++) {
      await agent.post('/login').expect(303);
      const home = await agent.get('/');
      expect(home.body.user).toBe('ada');
    }
  });

  it('with durability, WAITs for a replica after each write and logs nothing when it acknowledges', async () => {
    const warnings: string[] = [];
    const store = new SentinelSessionStore({
      caches,
      durability: { replicas: 1, timeout: 1000 },
      logger: { warn: (m) => warnings.push(m) },
    });
    const master = topo.client('master');
    const waitsBefore = await commandCalls(master, 'wait');
    const sid = randomUUID();
    await store.set(sid, session());
    await store.set(sid, session({ again: true }));
    expect(await commandCalls(master, 'wait')).toBe(waitsBefore + 2);
    expect(warnings).toEqual([]);
    const replica = topo.client((await topo.replicas())[0] as Parameters<Topology['client']>[0]);
    expect(await replica.get(`dj:1:sess:${sid}`)).toContain('"again":true');
  });
});

describe('SentinelSessionStore when no sentinel answers', () => {
  async function unreachable() {
    const [port] = (await freePorts(1)) as [number];
    const location = `mymaster/127.0.0.1:${port}/0`;
    const connector = createConnector({
      location,
      alias: 'sessions',
      queueTimeout: 300,
      sentinelTimeout: 100,
    });
    const cache = createCache({ location, keyPrefix: 'dj' }, { alias: 'sessions' });
    return { connector, cache };
  }

  it('fails reads with the connector’s typed error, so express-session answers 500', async () => {
    const { connector, cache } = await unreachable();
    try {
      const store = new SentinelSessionStore({
        cache,
        client: connector.master(),
        logger: { warn: () => {} },
      });
      const error = (await store.get('sid').catch((e: unknown) => e)) as { code?: string; alias?: string };
      expect(error.code).toMatch(/^ERR_(NODE_UNAVAILABLE|ALL_SENTINELS_UNREACHABLE)$/);
      expect(error.alias).toBe('sessions');
      const response = await request(counterApp(store)).get('/').set('cookie', signedCookie('abc'));
      expect(response.status).toBe(500);
    } finally {
      await connector.close();
      await cache.close();
    }
  });

  it('with onError "miss", serves the request with a fresh session instead of a 500', async () => {
    const { connector, cache } = await unreachable();
    try {
      const warnings: string[] = [];
      const store = new SentinelSessionStore({
        cache,
        client: connector.master(),
        onError: 'miss',
        logger: { warn: (m) => warnings.push(m) },
      });
      const app = counterApp(store);
      for (let i = 0; i < 3; i++) {
        const response = await request(app).get('/').set('cookie', signedCookie('abc'));
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ user: null, n: 1 });
      }
      expect(warnings).toHaveLength(1);
    } finally {
      await connector.close();
      await cache.close();
    }
  });
});
