import { describe, expect, it } from 'vitest';
import {
  ClusterConnector,
  cachesFromEnv,
  createCaches,
  createClusterConnector,
  InvalidCacheConfigError,
  InvalidEnvError,
  InvalidLocationError,
  UnsupportedLocationError,
} from '../src/index.js';

// Nothing listens on ports 1-3 of loopback: a connector opened here fails to connect, harmlessly.
const CLUSTER = 'redis+cluster://127.0.0.1:1,127.0.0.1:2,127.0.0.1:3';

function thrown(make: () => unknown): Error {
  try {
    make();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

describe('cachesFromEnv on a Redis Cluster location', () => {
  it('builds the entry, and createCaches makes it a cluster alias', async () => {
    const env = {
      CACHES_BIG_LOCATION: `rediss+cluster://${CLUSTER.slice('redis+cluster://'.length)}/0`,
      CACHES_BIG_KEY_PREFIX: 'dj',
      CACHES_BIG_PASSWORD: 'pw',
      CACHES_BIG_READ_FROM: 'replica',
      CACHES_BIG_QUEUE_TIMEOUT: '3000',
      CACHES_BIG_MASTER_CHECK_INTERVAL: '500',
    };
    const configs = cachesFromEnv(env);
    expect(configs).toEqual({
      big: {
        location: env.CACHES_BIG_LOCATION,
        keyPrefix: 'dj',
        options: { password: 'pw', readFrom: 'replica', queueTimeout: 3000, masterCheckInterval: 500 },
      },
    });
    const caches = createCaches(configs);
    try {
      expect(caches.connector('big')).toBeInstanceOf(ClusterConnector);
      expect(caches.get('big').makeKey('k')).toBe('dj:1:k');
    } finally {
      await caches.close();
    }
  });

  it.each([
    ['SENTINEL_PASSWORD', 'sentinelPassword', 'x'],
    ['SENTINEL_USERNAME', 'sentinelUsername', 'x'],
    ['SENTINEL_TIMEOUT', 'sentinelTimeout', '500'],
    ['SENTINEL_TLS', 'sentinelTls', 'false'],
    ['FAILOVER_HOLD_TIMEOUT', 'failoverHoldTimeout', '500'],
  ])(
    'refuses CACHES_<ALIAS>_%s, naming the variable, the alias, the option and the fix',
    (suffix, option, value) => {
      const error = thrown(() =>
        cachesFromEnv({ CACHES_BIG_LOCATION: CLUSTER, [`CACHES_BIG_${suffix}`]: value }),
      );
      expect(error).toBeInstanceOf(InvalidEnvError);
      expect(error).toMatchObject({ variable: `CACHES_BIG_${suffix}`, alias: 'big' });
      expect(error.message).toContain(`CACHES_BIG_${suffix} (cache "big")`);
      expect(error.message).toContain(`"${option}" would be ignored`);
      expect(error.message).toMatch(/Remove the variable, or use a sentinel location/);
    },
  );

  it('the same variables stay accepted on a sentinel location', () => {
    expect(
      cachesFromEnv({ CACHES_HA_LOCATION: 'mymaster/127.0.0.1:1/0', CACHES_HA_SENTINEL_TIMEOUT: '500' }),
    ).toEqual({ ha: { location: 'mymaster/127.0.0.1:1/0', options: { sentinelTimeout: 500 } } });
  });

  it('a cluster location with a db other than 0 names the variable and the fix; the password stays hidden', () => {
    const error = thrown(() =>
      cachesFromEnv({
        CACHES_BIG_LOCATION: 'redis+cluster://:s3cret@127.0.0.1:1/3',
        CACHES_BIG_PASSWORD: 's3cret',
      }),
    );
    expect(error).toBeInstanceOf(InvalidEnvError);
    expect(error).toMatchObject({ variable: 'CACHES_BIG_LOCATION', alias: 'big', code: 'ERR_INVALID_ENV' });
    expect(error.message).toMatch(/db 3: a Redis Cluster has db 0 alone; drop "\/3" or write "\/0"/);
    expect(error.message).not.toContain('s3cret');
    expect(error.cause).toBeInstanceOf(InvalidLocationError);
  });
});

describe('a Redis Cluster alias refuses what a cluster does not take', () => {
  it('a sentinel option, in createCaches and in a connector, naming the alias, the option and the fix', () => {
    for (const make of [
      () => createCaches({ big: { location: CLUSTER, options: { failoverHoldTimeout: 100 } } }),
      () => createClusterConnector({ location: CLUSTER, alias: 'big', failoverHoldTimeout: 100 }),
    ]) {
      const error = thrown(make);
      expect(error).toBeInstanceOf(InvalidCacheConfigError);
      expect(error).toMatchObject({ alias: 'big', code: 'ERR_INVALID_CACHE_CONFIG' });
      expect(error.message).toBe(
        'Option "failoverHoldTimeout" does not apply to a Redis Cluster location (cache "big"): a Redis Cluster has no sentinels, so "failoverHoldTimeout" would be ignored. Remove "failoverHoldTimeout", or use a sentinel location ("redis+sentinel://…") if sentinels were meant.',
      );
    }
  });

  it('a db other than 0: InvalidLocationError naming the alias and the fix', () => {
    const error = thrown(() => createCaches({ big: { location: `${CLUSTER}/1` } }));
    expect(error).toBeInstanceOf(InvalidLocationError);
    expect(error).toMatchObject({ alias: 'big', part: 'db' });
    expect(error.message).toMatch(/db \(cache "big"\): db 1: a Redis Cluster has db 0 alone; drop "\/1"/);
  });

  it('the near cache: UnsupportedLocationError naming the alias', () => {
    const error = thrown(() => createCaches({ big: { location: CLUSTER, options: { nearCache: true } } }));
    expect(error).toBeInstanceOf(UnsupportedLocationError);
    expect(error.message).toMatch(
      /"nearCache" does not support a location that names a Redis Cluster yet \(cache "big"\)/,
    );
  });
});
