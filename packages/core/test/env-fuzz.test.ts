import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CacheConfig,
  cachesFromEnv,
  createCaches,
  InvalidEnvError,
  InvalidLocationError,
  isSentinelKitError,
  parseLocation,
} from '../src/index.js';

// Every setting cachesFromEnv reads, and near misses of them.
const SUFFIXES = [
  'LOCATION',
  'KEY_PREFIX',
  'VERSION',
  'TIMEOUT',
  'SERIALIZER',
  'COMPRESSOR',
  'COMPRESS_MIN_LENGTH',
  'IGNORE_EXCEPTIONS',
  'READ_YOUR_WRITES',
  'NEAR_CACHE',
  'NEAR_CACHE_MAX_ENTRIES',
  'NEAR_CACHE_MAX_BYTES',
  'NEAR_CACHE_TTL',
  'PASSWORD',
  'USERNAME',
  'SENTINEL_PASSWORD',
  'SENTINEL_USERNAME',
  'SENTINEL_TIMEOUT',
  'SOCKET_CONNECT_TIMEOUT',
  'SOCKET_TIMEOUT',
  'READ_FROM',
  'TLS',
  'SENTINEL_TLS',
  'FAILOVER_HOLD_TIMEOUT',
  'MASTER_CHECK_INTERVAL',
  'MAX_RECONNECT_DELAY',
  'QUEUE_TIMEOUT',
];
const SECRET_SUFFIXES = ['PASSWORD', 'SENTINEL_PASSWORD'];

const secret = fc.string({ minLength: 4, maxLength: 12, unit: 'grapheme' }).map((s) => `PW${s}Z`);
const alias = fc.oneof(
  fc.constantFrom(
    'DEFAULT',
    'HP',
    'A_B',
    'SENTINEL',
    'SENTINEL_SENTINEL',
    '__proto__',
    'constructor',
    '_',
    '',
  ),
  fc.stringMatching(/^[A-Z0-9_]{1,12}$/),
  fc.string({ maxLength: 8 }),
);
const suffix = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SUFFIXES) },
  fc.constantFrom(...SUFFIXES).map((s) => s.toLowerCase()),
  fc.constantFrom(...SUFFIXES).map((s) => `${s}_`),
  fc.constantFrom(...SUFFIXES).map((s) => s.slice(1)),
  fc.string({ maxLength: 10 }),
);
const number = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom(
    '',
    ' ',
    '1e3',
    '0x10',
    '9007199254740993',
    ' 12 ',
    '1_000',
    '-0',
    'Infinity',
    'none',
    'null',
  ),
);
const word = fc.oneof(
  fc.constantFrom('json', 'msgpack', 'zlib', 'gzip', 'brotli', 'zstd', 'none', 'master', 'REPLICA'),
  fc.constantFrom('true', 'false', 'yes', 'off', '1', '0', 'maybe', ''),
  fc.string({ maxLength: 20 }),
  fc.string({ maxLength: 20, unit: 'grapheme' }),
);
const hostPort = fc.tuple(
  fc.constantFrom('127.0.0.1', 'h1', '[::1]', 'redis.example', ''),
  fc.oneof(fc.integer({ min: 0, max: 70_000 }).map(String), fc.constantFrom('', 'x', '-1')),
);
/** A location with `password` in it, well formed or a little off. */
const location = (password: string) =>
  fc
    .tuple(
      fc.constantFrom(
        'redis',
        'rediss',
        'redis+sentinel',
        'rediss+sentinel',
        'unix',
        'redis+cluster',
        'http',
      ),
      fc.array(hostPort, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('', '/0', '/mymaster/1', '/mymaster', '/x', '/-1', '/0/extra', '?db=2'),
      fc.boolean(),
    )
    .map(([scheme, hosts, path, encode]) => {
      const hostList = hosts.map(([h, p]) => (p === '' ? h : `${h}:${p}`)).join(',');
      const pw = encode ? encodeURIComponent(password) : password;
      return `${scheme}://user:${pw}@${hostList}${path}`;
    });

/** An env map of `CACHES_*` variables, with passwords among the values. */
const env = secret.chain((password) =>
  fc
    .array(
      fc.tuple(alias, suffix, fc.oneof(number, word, location(password), fc.string({ maxLength: 40 }))),
      { maxLength: 8 },
    )
    .map((entries) => {
      const vars: Record<string, string> = {};
      for (const [a, s, value] of entries) {
        // A password variable always holds the password, so a message echoing one would show it.
        // (A location is never the bare password: a parser that quotes a bad location could not tell.)
        vars[`CACHES_${a}_${s}`] = SECRET_SUFFIXES.includes(s) ? password : value;
      }
      return { vars, password };
    }),
);

/** A well-formed env map: one or more aliases, each with a location, its password and some settings. */
const validEnv = secret.chain((password) =>
  fc
    .uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[A-Z][A-Z0-9]{0,6}$/),
        version: fc.integer({ min: -100, max: 100 }),
        queueTimeout: fc.integer({ min: 0, max: 60_000 }),
        readFrom: fc.constantFrom('master', 'replica', 'masterPreferred', 'REPLICAPREFERRED'),
      }),
      { minLength: 1, maxLength: 3, selector: (entry) => entry.name },
    )
    .map((entries) => {
      const vars: Record<string, string> = {};
      for (const { name, version, queueTimeout, readFrom } of entries) {
        vars[`CACHES_${name}_LOCATION`] = `redis://:${encodeURIComponent(password)}@127.0.0.1:6379/0`;
        vars[`CACHES_${name}_PASSWORD`] = password;
        vars[`CACHES_${name}_VERSION`] = String(version);
        vars[`CACHES_${name}_QUEUE_TIMEOUT`] = String(queueTimeout);
        vars[`CACHES_${name}_READ_FROM`] = readFrom;
      }
      return { vars, password, aliases: entries.map((entry) => entry.name) };
    }),
);

function expectNoSecret(error: unknown, password: string): void {
  const text = `${(error as Error).message}\n${JSON.stringify(error)}\n${String((error as Error).stack)}`;
  expect(text).not.toContain(password);
  expect(text).not.toContain(encodeURIComponent(password));
}

/** Parses `vars`, then each entry's location and the caches built from them, checking every failure. */
async function check(
  vars: Record<string, string>,
  password: string,
): Promise<Record<string, CacheConfig> | undefined> {
  let configs: Record<string, CacheConfig>;
  try {
    configs = cachesFromEnv(vars);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvError);
    expectNoSecret(error, password);
    return undefined;
  }
  for (const config of Object.values(configs)) {
    try {
      parseLocation(config.location);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidLocationError);
      expectNoSecret(error, password);
    }
  }
  try {
    // Builds every cache and its connector key; opens nothing until a command is sent.
    await createCaches(configs).close();
  } catch (error) {
    expect(isSentinelKitError(error)).toBe(true);
    expectNoSecret(error, password);
  }
  return configs;
}

describe('cachesFromEnv under fuzzing', () => {
  it('any CACHES_* map parses or throws InvalidEnvError, never anything else, and no message shows a password', async () => {
    await fc.assert(
      fc.asyncProperty(env, async ({ vars, password }) => {
        await check(vars, password);
      }),
      { numRuns: 3000 },
    );
  });

  it('arbitrary variable names and values, prefix included, never throw anything but InvalidEnvError', async () => {
    const names = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ maxLength: 20 }).map((s) => `CACHES_${s}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(names, fc.string({ maxLength: 30 }), { maxKeys: 6 }),
        secret,
        async (vars, pw) => {
          await check(vars, pw);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('a well-formed map yields one entry per alias, lower-cased, with the location as given', async () => {
    await fc.assert(
      fc.asyncProperty(validEnv, async ({ vars, password, aliases }) => {
        const configs = await check(vars, password);
        expect(configs).toBeDefined();
        expect(Object.keys(configs ?? {}).sort()).toEqual(aliases.map((a) => a.toLowerCase()).sort());
        for (const a of aliases) {
          expect(configs?.[a.toLowerCase()]?.location).toBe(vars[`CACHES_${a}_LOCATION`]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a location pasted into the wrong variable is quoted with its password masked', () => {
    const read = () =>
      cachesFromEnv({
        CACHES_DEFAULT_LOCATION: 'redis://127.0.0.1:6379/0',
        CACHES_DEFAULT_PASSWORD: 's3cr3t!',
        CACHES_DEFAULT_QUEUE_TIMEOUT: 'redis://app:hunter2@10.0.0.1:6379/0',
        CACHES_DEFAULT_VERSION: 'x s3cr3t!',
      });
    expect(read).toThrow(InvalidEnvError);
    expect(read).toThrow(/got "redis:\/\/app:\*\*\*@10\.0\.0\.1:6379\/0"/);
  });

  it('an alias named like an Object.prototype member is an entry of its own', () => {
    const configs = cachesFromEnv({
      CACHES___PROTO___LOCATION: 'redis://127.0.0.1:6379/0',
      CACHES_CONSTRUCTOR_LOCATION: 'redis://127.0.0.1:6379/1',
    });
    expect(Object.keys(configs).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(configs)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(configs, '__proto__')?.value).toEqual({
      location: 'redis://127.0.0.1:6379/0',
    });
  });
});
