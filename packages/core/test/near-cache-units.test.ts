import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Cache } from '../src/cache/cache.js';
import { cachesFromEnv } from '../src/cache/env.js';
import { FillGuard } from '../src/cache/near-cache/fill-guard.js';
import { NearCache } from '../src/cache/near-cache/near-cache.js';
import { NearStore } from '../src/cache/near-cache/near-store.js';
import { createCache } from '../src/cache/registry.js';
import { InvalidCacheConfigError, InvalidEnvError } from '../src/errors.js';

const location = 'mymaster/127.0.0.1:26379,127.0.0.1:26380/0';

describe('FillGuard: a reply is kept only if nothing raced it', () => {
  it('keeps a reply when no invalidation of its key and no flush came while it was in flight', () => {
    const guard = new FillGuard();
    const ticket = guard.begin('k');
    guard.invalidate('other');
    expect(guard.settle('k', ticket)).toBe(true);
  });

  it('drops a reply whose key was invalidated while it was in flight', () => {
    const guard = new FillGuard();
    const ticket = guard.begin('k');
    guard.invalidate('k');
    expect(guard.settle('k', ticket)).toBe(false);
  });

  it('drops a reply when a flush came while it was in flight', () => {
    const guard = new FillGuard();
    const ticket = guard.begin('k');
    guard.flush();
    expect(guard.settle('k', ticket)).toBe(false);
  });

  it('an invalidation before a read was sent does not spoil it, one after spoils only the reads in flight', () => {
    const guard = new FillGuard();
    guard.invalidate('k');
    const first = guard.begin('k');
    guard.invalidate('k');
    const second = guard.begin('k');
    expect(guard.settle('k', second)).toBe(true);
    expect(guard.settle('k', first)).toBe(false);
    // Nothing is remembered once no read of the key is in flight.
    const third = guard.begin('k');
    expect(guard.settle('k', third)).toBe(true);
  });
});

describe('NearStore: LRU bounded by count and bytes, never past an entry’s end', () => {
  const bytes = (n: number) => Buffer.alloc(n, 'x');
  const forever = Number.POSITIVE_INFINITY;

  it('evicts the least recently used beyond maxEntries; a hit makes an entry recent', () => {
    const store = new NearStore(2, forever);
    store.put('a', bytes(1), forever);
    store.put('b', bytes(1), forever);
    store.get('a');
    store.put('c', bytes(1), forever);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')?.value).toEqual(bytes(1));
    expect(store.size).toBe(2);
  });

  it('evicts beyond maxBytes (value bytes plus key characters) and refuses an entry larger than the bound', () => {
    const store = new NearStore(100, 25);
    store.put('k1', bytes(10), forever);
    store.put('k2', bytes(10), forever);
    expect(store.byteSize).toBe(24);
    store.put('k3', bytes(10), forever);
    expect(store.size).toBe(2);
    expect(store.get('k1')).toBeUndefined();
    store.put('huge', bytes(30), forever);
    expect(store.get('huge')).toBeUndefined();
    expect(store.byteSize).toBeLessThanOrEqual(25);
  });

  it('holds a key known absent as null, and drops an entry at its end', () => {
    const store = new NearStore(10, forever);
    store.put('gone', null, forever);
    expect(store.get('gone')?.value).toBeNull();
    store.put('old', bytes(1), Date.now() - 1);
    expect(store.get('old')).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it('replacing an entry keeps the byte count right', () => {
    const store = new NearStore(10, forever);
    store.put('k', bytes(10), forever);
    store.put('k', bytes(4), forever);
    expect(store.byteSize).toBe(5);
    expect(store.delete('k')).toBe(true);
    expect(store.byteSize).toBe(0);
  });
});

describe('nearCache options', () => {
  const config = (nearCache: unknown) =>
    ({ location, options: { nearCache } }) as Parameters<typeof createCache>[0];

  it('accepts true, false and bounds; off is the default', () => {
    expect(createCache({ location }).nearCache).toBeUndefined();
    expect(createCache(config(false)).nearCache).toBeUndefined();
    expect(createCache(config(true)).nearCache?.size).toBe(0);
    expect(createCache(config({ maxEntries: 10, maxBytes: 1000, ttl: 0.5 })).nearCache?.hits).toBe(0);
  });

  it.each([
    [{ maxEntries: 0 }, 'nearCache.maxEntries'],
    [{ maxEntries: 1.5 }, 'nearCache.maxEntries'],
    [{ maxBytes: -1 }, 'nearCache.maxBytes'],
    [{ ttl: 0 }, 'nearCache.ttl'],
    [{ ttl: Number.NaN }, 'nearCache.ttl'],
    ['yes', 'nearCache'],
  ])('refuses %j with InvalidCacheConfigError naming the alias and %s', (value, option) => {
    let error: unknown;
    try {
      createCache(config(value), { alias: 'hot' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidCacheConfigError);
    expect((error as InvalidCacheConfigError).code).toBe('ERR_INVALID_CACHE_CONFIG');
    expect((error as Error).message).toContain(`"${option}"`);
    expect((error as InvalidCacheConfigError).alias).toBe('hot');
  });

  it('refuses a connection that cannot open connections of its own', () => {
    const connection = { master: () => undefined as never, replica: () => undefined as never };
    expect(() => new Cache({ location, options: { nearCache: true } }, connection)).toThrow(
      InvalidCacheConfigError,
    );
  });
});

describe('nearCache from the environment', () => {
  it('CACHES_<ALIAS>_NEAR_CACHE turns it on; the bounds fill it in', () => {
    expect(cachesFromEnv({ CACHES_HP_LOCATION: location, CACHES_HP_NEAR_CACHE: 'true' }).hp?.options).toEqual(
      {
        nearCache: true,
      },
    );
    const env = {
      CACHES_HP_LOCATION: location,
      CACHES_HP_NEAR_CACHE: 'on',
      CACHES_HP_NEAR_CACHE_MAX_ENTRIES: '500',
      CACHES_HP_NEAR_CACHE_MAX_BYTES: '1000000',
      CACHES_HP_NEAR_CACHE_TTL: '2.5',
    };
    expect(cachesFromEnv(env).hp?.options?.nearCache).toEqual({
      maxEntries: 500,
      maxBytes: 1_000_000,
      ttl: 2.5,
    });
    expect(cachesFromEnv({ ...env, CACHES_HP_NEAR_CACHE: 'false' }).hp?.options?.nearCache).toBe(false);
  });

  it.each([
    ['CACHES_HP_NEAR_CACHE', 'maybe'],
    ['CACHES_HP_NEAR_CACHE_MAX_ENTRIES', '0'],
    ['CACHES_HP_NEAR_CACHE_MAX_ENTRIES', 'lots'],
    ['CACHES_HP_NEAR_CACHE_MAX_BYTES', '-5'],
    ['CACHES_HP_NEAR_CACHE_TTL', 'none'],
  ])('%s=%s throws InvalidEnvError naming the variable', (variable, value) => {
    let error: unknown;
    try {
      cachesFromEnv({ CACHES_HP_LOCATION: location, [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEnvError);
    expect((error as InvalidEnvError).variable).toBe(variable);
    expect((error as InvalidEnvError).alias).toBe('hp');
  });
});

/** A fake connection whose replies the test releases by hand, to stage the in-flight race. */
function fakeConnection() {
  const node = { host: '127.0.0.1', port: 6379 };
  const pending: { command: string; key: string; resolve: (value: unknown) => void }[] = [];
  const client = (subscriber: boolean) => {
    const emitter = new EventEmitter() as EventEmitter & Record<string, unknown>;
    emitter.status = 'ready';
    emitter.call = async (...args: string[]) => (args[1] === 'ID' ? 7 : 'OK');
    emitter.subscribe = async () => 1;
    if (!subscriber) {
      const read = (command: string) => (key: string) =>
        new Promise((resolve) => pending.push({ command, key, resolve }));
      emitter.getBuffer = read('GET');
      emitter.pttl = read('PTTL');
    }
    return emitter;
  };
  const subscriber = client(true);
  const tracker = client(false);
  const connection = {
    companion: (options: { subscriber?: boolean }) => ({
      client: (options.subscriber ? subscriber : tracker) as never,
      node: () => node,
      close: () => {},
    }),
    onFailover: () => () => {},
  };
  /** Answers every read sent so far: GET with `value`, PTTL with -1. */
  const answer = (value: string) => {
    for (const read of pending.splice(0)) read.resolve(read.command === 'GET' ? Buffer.from(value) : -1);
  };
  const invalidate = (key: string) =>
    subscriber.emit('messageBuffer', Buffer.from('__redis__:invalidate'), [Buffer.from(key)]);
  const link = async () => {
    subscriber.emit('ready');
    tracker.emit('ready');
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { connection, answer, invalidate, link };
}

describe('NearCache: the in-flight race, end to end over a fake connection', () => {
  const settings = { maxEntries: 10, maxBytes: Number.POSITIVE_INFINITY, ttlMs: Number.POSITIVE_INFINITY };

  it('keeps a reply that nothing raced, and serves it from memory', async () => {
    const fake = fakeConnection();
    const near = new NearCache(settings, () => fake.connection);
    const warm = near.fetch('k');
    await fake.link();
    fake.answer('"old"');
    await warm;
    const read = near.fetch('k');
    fake.answer('"v1"');
    expect((await read)?.toString()).toBe('"v1"');
    expect(near.peek('k')?.toString()).toBe('"v1"');
  });

  it('does not keep a reply when the invalidation of its key overtook it', async () => {
    const fake = fakeConnection();
    const near = new NearCache(settings, () => fake.connection);
    const warm = near.fetch('k');
    await fake.link();
    fake.answer('"old"');
    await warm;
    near.flush();
    const read = near.fetch('k');
    fake.invalidate('k');
    fake.answer('"old"');
    expect((await read)?.toString()).toBe('"old"');
    expect(near.peek('k')).toBeUndefined();
  });

  it('does not keep a reply when a flush came while it was in flight, nor one sent before it was linked', async () => {
    const fake = fakeConnection();
    const near = new NearCache(settings, () => fake.connection);
    const unlinked = near.fetch('early');
    fake.answer('"x"');
    await unlinked;
    expect(near.peek('early')).toBeUndefined();
    await fake.link();
    const read = near.fetch('k');
    near.flush();
    fake.answer('"v"');
    await read;
    expect(near.peek('k')).toBeUndefined();
  });
});
