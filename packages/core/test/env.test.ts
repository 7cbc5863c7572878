import { describe, expect, it } from 'vitest';
import { cachesFromEnv } from '../src/cache/env.js';
import { InvalidEnvError } from '../src/errors.js';

const location = 'mymaster/127.0.0.1:26379,127.0.0.1:26380/0';

function thrown(env: Record<string, string>): InvalidEnvError {
  try {
    cachesFromEnv(env);
  } catch (error) {
    if (error instanceof InvalidEnvError) return error;
    throw error;
  }
  throw new Error('cachesFromEnv did not throw');
}

describe('cachesFromEnv', () => {
  it('builds one entry per CACHES_<ALIAS>_LOCATION with its settings', () => {
    const caches = cachesFromEnv({
      CACHES_DEFAULT_LOCATION: location,
      CACHES_DEFAULT_KEY_PREFIX: 'dj',
      CACHES_DEFAULT_PASSWORD: 'foo123',
      CACHES_DEFAULT_SENTINEL_TIMEOUT: '1000',
      CACHES_DEFAULT_IGNORE_EXCEPTIONS: 'true',
      CACHES_HP_LOCATION: location.replace(/0$/, '1'),
      CACHES_HP_KEY_PREFIX: 'dj:bi',
      CACHES_HP_VERSION: '2',
      CACHES_HP_TIMEOUT: 'none',
      CACHES_HP_COMPRESSOR: 'zlib',
      CACHES_HP_READ_FROM: 'master',
      UNRELATED: 'x',
    });
    expect(caches).toEqual({
      default: {
        location,
        keyPrefix: 'dj',
        options: { password: 'foo123', sentinelTimeout: 1000, ignoreExceptions: true },
      },
      hp: {
        location: location.replace(/0$/, '1'),
        keyPrefix: 'dj:bi',
        version: 2,
        timeout: null,
        options: { compressor: 'zlib', readFrom: 'master' },
      },
    });
  });

  it('reads aliases with underscores and fractional timeouts', () => {
    const caches = cachesFromEnv({
      CACHES_MY_SESSIONS_LOCATION: location,
      CACHES_MY_SESSIONS_TIMEOUT: '0.5',
    });
    expect(caches).toEqual({ my_sessions: { location, timeout: 0.5 } });
  });

  it('reads the read-your-writes window in milliseconds, 0 to turn it off', () => {
    expect(
      cachesFromEnv({ CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_READ_YOUR_WRITES: '250' }),
    ).toEqual({
      default: { location, options: { readYourWrites: 250 } },
    });
    expect(
      cachesFromEnv({ CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_READ_YOUR_WRITES: '0' }),
    ).toEqual({
      default: { location, options: { readYourWrites: 0 } },
    });
  });

  it('returns no entries when nothing is set', () => {
    expect(cachesFromEnv({ PATH: '/bin' })).toEqual({});
  });

  it.each([
    [
      { CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_VERSION: 'two' },
      'CACHES_DEFAULT_VERSION',
      /whole number/,
    ],
    [
      { CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_TIMEOUT: 'soon' },
      'CACHES_DEFAULT_TIMEOUT',
      /"none"/,
    ],
    [
      { CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_READ_FROM: 'any' },
      'CACHES_DEFAULT_READ_FROM',
      /replicaPreferred/,
    ],
    [
      { CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_IGNORE_EXCEPTIONS: 'maybe' },
      'CACHES_DEFAULT_IGNORE_EXCEPTIONS',
      /true\/false/,
    ],
    [
      { CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_READ_YOUR_WRITES: '1s' },
      'CACHES_DEFAULT_READ_YOUR_WRITES',
      /milliseconds/,
    ],
    [
      { CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_SENTINEL_TIMEOUT: '-5' },
      'CACHES_DEFAULT_SENTINEL_TIMEOUT',
      /milliseconds/,
    ],
    [
      { CACHES_DEFAULT_LOCATION: location, CACHES_DEFAULT_KEYPREFIX: 'dj' },
      'CACHES_DEFAULT_KEYPREFIX',
      /unknown setting/,
    ],
    [{ CACHES_HP_KEY_PREFIX: 'dj:bi' }, 'CACHES_HP_KEY_PREFIX', /no CACHES_HP_LOCATION/],
    [{ CACHES_DEFAULT_LOCATION: ' ' }, 'CACHES_DEFAULT_LOCATION', /empty/],
  ])('names the variable of a bad value: %o', (env, variable, message) => {
    const error = thrown(env);
    expect(error.variable).toBe(variable);
    expect(error.code).toBe('ERR_INVALID_ENV');
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(message);
  });

  it('never quotes a password', () => {
    const error = thrown({
      CACHES_DEFAULT_LOCATION: 'redis://:s3cret@127.0.0.1:6379/0',
      CACHES_DEFAULT_PASSWORD: 's3cret',
      CACHES_DEFAULT_VERSION: 'x',
    });
    expect(error.message).not.toContain('s3cret');
  });
});
