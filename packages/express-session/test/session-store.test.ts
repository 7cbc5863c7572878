import { randomUUID } from 'node:crypto';
import {
  InvalidSessionStoreOptionError,
  SentinelSessionStore,
  type SentinelSessionStoreOptions,
  SessionStoreError,
} from '@sentinel-kit/express-session';
import { type Standalone, startStandalone } from '@sentinel-kit/testkit';
import type { SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: Standalone;
let redis: ReturnType<Standalone['client']>;

beforeAll(async () => {
  server = await startStandalone();
  redis = server.client();
});

afterAll(async () => {
  await server?.stop();
});

/** Django's default key function with prefix `dj`, version 1. */
const djangoCache = { alias: 'sessions', makeKey: (key: string, version = 1) => `dj:${version}:${key}` };

interface Logged {
  message: string;
  error?: unknown;
}

function makeStore(options: Partial<SentinelSessionStoreOptions> = {}) {
  const logs: Logged[] = [];
  const logger = { warn: (message: string, error?: unknown) => logs.push({ message, error }) };
  const store = new SentinelSessionStore({ cache: djangoCache, client: redis, logger, ...options });
  return { store, logs };
}

const session = (extra: Record<string, unknown> = {}, expires?: Date): SessionData =>
  ({
    cookie: { originalMaxAge: null, expires, httpOnly: true, path: '/' },
    ...extra,
  }) as unknown as SessionData;

/** A prefix of its own per test, so bulk operations see only that test's sessions. */
const freshPrefix = () => `sess-${randomUUID().slice(0, 8)}:`;

describe('SentinelSessionStore keys and values', () => {
  it('stores a session under cache.makeKey(prefix + sid) as connect-redis JSON and reads it back', async () => {
    const { store } = makeStore();
    const sid = randomUUID();
    await store.set(sid, session({ user: 'ada' }));
    const raw = await redis.get(`dj:1:sess:${sid}`);
    expect(JSON.parse(raw as string)).toMatchObject({ user: 'ada', cookie: { path: '/' } });
    expect(await store.get(sid)).toMatchObject({ user: 'ada' });
    expect(store.keyBase).toBe('dj:1:sess:');
  });

  it('answers null for a session that does not exist', async () => {
    const { store } = makeStore();
    expect(await store.get(randomUUID())).toBeNull();
  });

  it('answers through express-session-style callbacks as well as promises', async () => {
    const { store } = makeStore();
    const sid = randomUUID();
    await new Promise<void>((resolve, reject) =>
      store.set(sid, session({ n: 1 }), (err) => (err ? reject(err) : resolve())),
    );
    const got = await new Promise((resolve, reject) =>
      store.get(sid, (err, data) => (err ? reject(err) : resolve(data))),
    );
    expect(got).toMatchObject({ n: 1 });
  });

  it('destroy removes the session', async () => {
    const { store } = makeStore();
    const sid = randomUUID();
    await store.set(sid, session());
    await store.destroy(sid);
    expect(await redis.exists(`dj:1:sess:${sid}`)).toBe(0);
  });
});

describe('SentinelSessionStore TTLs', () => {
  it('takes the TTL from the cookie expiry, rounded up to whole seconds', async () => {
    const { store } = makeStore();
    const sid = randomUUID();
    await store.set(sid, session({}, new Date(Date.now() + 59_500)));
    const ttl = await redis.ttl(`dj:1:sess:${sid}`);
    expect(ttl).toBeGreaterThanOrEqual(58);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('uses the ttl option, default 86400 s, when the cookie has no expiry', async () => {
    const sid = randomUUID();
    await makeStore().store.set(sid, session());
    expect(await redis.ttl(`dj:1:sess:${sid}`)).toBeGreaterThan(86_390);
    await makeStore({ ttl: 600 }).store.set(sid, session());
    const ttl = await redis.ttl(`dj:1:sess:${sid}`);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('deletes instead of storing when the cookie has already expired', async () => {
    const { store } = makeStore();
    const sid = randomUUID();
    await store.set(sid, session());
    await store.set(sid, session({}, new Date(Date.now() - 5_000)));
    expect(await redis.exists(`dj:1:sess:${sid}`)).toBe(0);
  });

  it('touch resets the TTL to the cookie expiry', async () => {
    const { store } = makeStore();
    const sid = randomUUID();
    await store.set(sid, session({}, new Date(Date.now() + 30_000)));
    await store.touch(sid, session({}, new Date(Date.now() + 900_000)));
    expect(await redis.ttl(`dj:1:sess:${sid}`)).toBeGreaterThan(890);
  });

  it('touch leaves the TTL alone with disableTouch', async () => {
    const { store } = makeStore({ disableTouch: true });
    const sid = randomUUID();
    await store.set(sid, session({}, new Date(Date.now() + 30_000)));
    await store.touch(sid, session({}, new Date(Date.now() + 900_000)));
    expect(await redis.ttl(`dj:1:sess:${sid}`)).toBeLessThanOrEqual(30);
  });
});

describe('SentinelSessionStore bulk operations stay inside the store prefix', () => {
  async function seedNeighbours(prefix: string) {
    const neighbours = [
      `dj:1:other:${randomUUID()}`,
      `${prefix}${randomUUID()}`,
      `dj:2:${prefix}${randomUUID()}`,
      `dj:1:x${prefix}${randomUUID()}`,
    ];
    await redis.mset(...neighbours.flatMap((k) => [k, '{"cookie":{}}']));
    return neighbours;
  }

  it('ids, length and all list exactly this store’s sessions, across many SCAN pages', async () => {
    const prefix = freshPrefix();
    const { store } = makeStore({ prefix, scanCount: 10 });
    const sids: string[] = Array.from({ length: 35 }, () => randomUUID());
    for (const [i, sid] of sids.entries()) await store.set(sid, session({ i }));
    await seedNeighbours(prefix);
    expect(((await store.ids()) as string[]).sort()).toEqual([...sids].sort());
    expect(await store.length()).toBe(35);
    const all = (await store.all()) as { id: string; i: number }[];
    expect(all.map((s) => s.id).sort()).toEqual([...sids].sort());
    for (const s of all) expect(s.i).toBe(sids.indexOf(s.id));
  });

  it('clear removes this store’s sessions and nothing else', async () => {
    const prefix = freshPrefix();
    const { store } = makeStore({ prefix });
    for (let i = 0; i < 5; i++) await store.set(randomUUID(), session());
    const neighbours = await seedNeighbours(prefix);
    await store.clear();
    expect(await store.length()).toBe(0);
    expect(await redis.exists(...neighbours)).toBe(neighbours.length);
  });

  it('treats glob characters in the prefix literally', async () => {
    const { store } = makeStore({ prefix: `s[a]*?-${randomUUID().slice(0, 6)}:` });
    const sid = randomUUID();
    await store.set(sid, session());
    const lookalike = `dj:1:${store.keyBase.slice(5).replace('[a]', 'a')}${randomUUID()}`;
    await redis.set(lookalike, '{"cookie":{}}');
    expect(await store.ids()).toEqual([sid]);
    await store.clear();
    expect(await redis.exists(lookalike)).toBe(1);
  });
});

describe('SentinelSessionStore with unreadable stored bytes', () => {
  it.each([
    ['bytes that are not JSON', '{not json'],
    ['JSON that is not an object', '42'],
    ['an object without a cookie', '{"user":"ada"}'],
  ])('answers no session for %s and logs the key', async (_, bytes) => {
    const { store, logs } = makeStore();
    const sid = randomUUID();
    await redis.set(`dj:1:sess:${sid}`, bytes);
    expect(await store.get(sid)).toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]?.message).toContain(`dj:1:sess:${sid}`);
  });

  it('all skips unreadable sessions and returns the rest', async () => {
    const prefix = freshPrefix();
    const { store, logs } = makeStore({ prefix });
    const good = randomUUID();
    await store.set(good, session({ ok: true }));
    await redis.set(`${store.keyBase}${randomUUID()}`, '\u0000garbage');
    expect(((await store.all()) as { id: string }[]).map((s) => s.id)).toEqual([good]);
    expect(logs).toHaveLength(1);
  });
});

describe('SentinelSessionStore errors', () => {
  function brokenClientStore(options: Partial<SentinelSessionStoreOptions> = {}) {
    const client = server.client();
    client.disconnect();
    return makeStore({ client, ...options });
  }

  it('rejects with a SessionStoreError naming the operation and cache alias, with the cause', async () => {
    const { store } = brokenClientStore();
    const error = await store.get('sid').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ code: 'ERR_SESSION_STORE', alias: 'sessions', operation: 'get' });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('hands the typed error to a callback', async () => {
    const { store } = brokenClientStore();
    const error = await new Promise((resolve) => store.set('sid', session(), (err) => resolve(err)));
    expect(error).toMatchObject({ code: 'ERR_SESSION_STORE', operation: 'set' });
  });

  it('with onError "miss", get answers no session and set/touch succeed without storing, logged once', async () => {
    const { store, logs } = brokenClientStore({ onError: 'miss' });
    expect(await store.get('sid')).toBeNull();
    await expect(store.set('sid', session())).resolves.toBeNull();
    await expect(store.touch('sid', session())).resolves.toBeNull();
    expect(logs).toHaveLength(1);
    expect(logs[0]?.error).toBeInstanceOf(SessionStoreError);
  });

  it('with onError "miss", logs one recovery line, with no error attached, once Redis answers again', async () => {
    let down = true;
    const refused = () => Promise.reject(new Error('connection refused'));
    const client = {
      call: (command: string, ...args: (string | number)[]) =>
        down ? refused() : redis.call(command, ...args),
      pipeline: (commands: (string | number)[][]) => ({
        exec: () => (down ? refused() : redis.pipeline(commands).exec()),
      }),
    } as unknown as typeof redis;
    const { store, logs } = makeStore({ client, onError: 'miss' });
    expect(await store.get('sid')).toBeNull();
    expect(await store.get('sid')).toBeNull();
    await store.set('sid', session());
    down = false;
    expect(await store.get('sid')).toBeNull();
    await store.get('sid');
    expect(logs).toHaveLength(2);
    expect(logs[0]?.error).toBeInstanceOf(SessionStoreError);
    expect(logs[1]).toEqual({ message: 'Session store recovered after 3 failed operation(s).' });
  });

  it('with onError "miss", destroy and the bulk operations still fail: a logout must not silently fail', async () => {
    const { store } = brokenClientStore({ onError: 'miss' });
    await expect(store.destroy('sid')).rejects.toMatchObject({ code: 'ERR_SESSION_STORE' });
    await expect(store.clear()).rejects.toMatchObject({ code: 'ERR_SESSION_STORE' });
  });

  it.each<[string, Partial<SentinelSessionStoreOptions>, string]>([
    ['ttl', { ttl: 0 }, 'ttl'],
    ['onError', { onError: 'ignore' as 'miss' }, 'onError'],
    ['scanCount', { scanCount: 1.5 }, 'scanCount'],
    ['durability.replicas', { durability: { replicas: 0, timeout: 50 } }, 'durability.replicas'],
    ['durability.timeout', { durability: { replicas: 1, timeout: 0 } }, 'durability.timeout'],
  ])('refuses a bad %s with a typed error naming the option', (_, options, option) => {
    const error = (() => {
      try {
        makeStore(options);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidSessionStoreOptionError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_SESSION_STORE_OPTION', option });
    expect((error as Error).message).toContain(`"${option}"`);
  });

  it('refuses a key function that does not end keys with the key, since ids could not be read back', () => {
    const cache = { makeKey: (key: string) => `${key}:dj:1` };
    expect(() => new SentinelSessionStore({ cache, client: redis })).toThrow(/keyFunction/);
  });
});

describe('SentinelSessionStore durability', () => {
  it('issues WAIT after a write and logs a SessionDurabilityError when too few replicas acknowledge', async () => {
    const { store, logs } = makeStore({ durability: { replicas: 1, timeout: 20 } });
    await store.set(randomUUID(), session());
    expect(logs).toHaveLength(1);
    expect(logs[0]?.error).toMatchObject({ code: 'ERR_SESSION_NOT_REPLICATED', acknowledged: 0, wanted: 1 });
  });
});
