import { afterAll, describe, expect, it } from 'vitest';
import {
  type Cache,
  Connector,
  connectorKey,
  createCache,
  createCaches,
  createConnector,
  InvalidLocationError,
  isSentinelKitError,
  KeyNotFoundError,
  parseLocation,
  UnsupportedLocationError,
} from '../src/index.js';

// Nothing listens here: every call below must fail on its arguments before any socket is opened.
const LOCATION = 'redis://127.0.0.1:1/0';
const cache: Cache = createCache({ location: LOCATION, keyPrefix: 'bi' }, { alias: 'bi' });
afterAll(async () => {
  await cache.close();
});

const BAD_KEYS: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['an object', {}],
  ['an array', ['k']],
  ['a symbol', Symbol('k')],
];

/** What `call` failed with, thrown at once or as a rejection. */
async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('the call did not fail');
}

const expectArgumentError = (error: unknown, ...words: string[]) => {
  expect(isSentinelKitError(error, 'ERR_INVALID_ARGUMENT'), String(error)).toBe(true);
  for (const word of words) expect((error as Error).message).toContain(word);
};

// biome-ignore lint/suspicious/noExplicitAny: the point is calling with what the types forbid
const loose = cache as any;
const KEY_METHODS: [string, (key: unknown) => unknown][] = [
  ['get', (k) => loose.get(k)],
  ['set', (k) => loose.set(k, 'v')],
  ['add', (k) => loose.add(k, 'v')],
  ['getOrSet', (k) => loose.getOrSet(k, 'v')],
  ['delete', (k) => loose.delete(k)],
  ['has', (k) => loose.has(k)],
  ['incr', (k) => loose.incr(k)],
  ['decr', (k) => loose.decr(k)],
  ['touch', (k) => loose.touch(k, 10)],
  ['ttl', (k) => loose.ttl(k)],
  ['expire', (k) => loose.expire(k, 10)],
  ['persist', (k) => loose.persist(k)],
  ['incrVersion', (k) => loose.incrVersion(k)],
  ['decrVersion', (k) => loose.decrVersion(k)],
  ['makeKey', (k) => loose.makeKey(k)],
  ['lock', (k) => loose.lock(k)],
  ['getMany', (k) => loose.getMany([k])],
  ['deleteMany', (k) => loose.deleteMany([k])],
];

describe('keys that are not strings', () => {
  it.each(KEY_METHODS)(
    '%s() refuses them with a typed error naming the method and what it got',
    async (method, call) => {
      const redisKeys = new Set<string>();
      for (const [kind, key] of BAD_KEYS) {
        const error = await failure(() => call(key));
        expectArgumentError(error, `${method}()`, kind);
        // A method that answers with a promise rejects it; only makeKey() and lock() throw.
        if (method !== 'makeKey' && method !== 'lock') {
          const answer = call(key) as Promise<unknown>;
          await expect(answer).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
        }
        redisKeys.add(String(error));
      }
      // Each mistake is reported as what it is, never as a key they would all share.
      expect(redisKeys.size).toBe(BAD_KEYS.length);
    },
  );

  it('keys(), iterKeys() and deletePattern() refuse a pattern that is not a string', async () => {
    for (const [kind, pattern] of BAD_KEYS) {
      expectArgumentError(await failure(() => loose.keys(pattern)), 'iterKeys()', kind, 'pattern');
      expectArgumentError(await failure(() => loose.iterKeys(pattern)), 'iterKeys()', kind, 'pattern');
      expectArgumentError(await failure(() => loose.deletePattern(pattern)), 'deletePattern()', kind);
    }
  });

  it('getMany(), deleteMany() and setMany() refuse something that is not a list or an object', async () => {
    expectArgumentError(await failure(() => loose.getMany('k')), 'getMany()', 'a string');
    expectArgumentError(await failure(() => loose.deleteMany(null)), 'deleteMany()', 'null');
    expectArgumentError(await failure(() => loose.setMany(null)), 'setMany()', 'null');
    expectArgumentError(await failure(() => loose.setMany(['a', 'b'])), 'setMany()', 'an array');
  });
});

describe('versions and timeouts', () => {
  it.each([
    ['NaN', Number.NaN],
    ['1.5', 1.5],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '2'],
  ])('a per-call version %s is refused, never written into the key', async (shown, version) => {
    for (const call of [
      () => loose.get('a', undefined, { version }),
      () => loose.set('a', 'v', 10, { version }),
      () => loose.makeKey('a', version),
      () => loose.setMany({ a: 1 }, 10, { version }),
      () => loose.keys('*', { version }),
    ]) {
      expectArgumentError(await failure(call), 'version', shown);
    }
  });

  it('a timeout beyond what Redis can expire names the argument; NaN too', async () => {
    for (const timeout of [1e16, Number.MAX_VALUE]) {
      expectArgumentError(await failure(() => cache.set('a', 'v', timeout)), 'timeout');
      expectArgumentError(await failure(() => cache.touch('a', timeout)), 'timeout');
    }
    expectArgumentError(await failure(() => cache.set('a', 'v', Number.NaN)), 'timeout');
  });
});

/** True when `text` holds a raw CR, LF or NUL (which could forge a log line). */
const hasRawControl = (text: string | undefined): boolean =>
  /[\r\n]/.test(text ?? '') || (text ?? '').includes('\0');

describe('locations', () => {
  const notStrings: [string, unknown][] = [
    ['number', 42],
    ['null', null],
    ['undefined', undefined],
    ['object', {}],
    ['array', []],
  ];

  it.each(notStrings)(
    'a %s is an InvalidLocationError wherever a location is taken',
    async (kind, location) => {
      const as = location as string;
      for (const make of [
        () => parseLocation(as),
        () => connectorKey({ location: as }),
        () => createConnector({ location: as }),
        () => createCache({ location: as }),
        () => createCaches({ default: { location: as } }),
      ]) {
        const error = await failure(make);
        expect(error, String(error)).toBeInstanceOf(InvalidLocationError);
        expect((error as Error).message).toContain(`a ${kind}, not a string`);
      }
    },
  );

  it('a huge location is quoted short, and its control characters are escaped, not echoed', () => {
    const huge = `mymaster/${'h'.repeat(200_000)}:26379/0`;
    const error = (() => {
      try {
        parseLocation(`${huge}\r\nFAKE LOG LINE\u0000`);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(InvalidLocationError);
    expect(error?.message.length).toBeLessThan(1200);
    expect(hasRawControl(error?.message)).toBe(false);
    const injected = (() => {
      try {
        parseLocation('mymaster/h:26379/0/x\r\nFAKE\u0000');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(injected?.message).toContain('\\r\\nFAKE\\u0000');
    expect(hasRawControl(injected?.message)).toBe(false);
  });

  it('a huge key is quoted short in a message', () => {
    const key = `k${'x'.repeat(1_000_000)}\n`;
    const error = new KeyNotFoundError(key, `bi:1:${key}`, { alias: 'bi' });
    expect(error.message.length).toBeLessThan(800);
    expect(error.message).not.toContain('\n');
  });
});

describe('a Redis Cluster location where one master is expected', () => {
  it('the one-master Connector refuses it with a typed error naming the alias, before opening a socket', () => {
    let error: unknown;
    try {
      new Connector({ location: 'redis+cluster://127.0.0.1:1,127.0.0.1:2', alias: 'big' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnsupportedLocationError);
    expect(error).toMatchObject({ code: 'ERR_UNSUPPORTED_LOCATION', kind: 'cluster', alias: 'big' });
    expect((error as Error).message).toMatch(
      /^The connector does not support a location that names a Redis Cluster/,
    );
  });
});
