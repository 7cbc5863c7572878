import {
  type Caches,
  createCache,
  createCaches,
  SentinelKitError,
  SerializationError,
} from '@sentinel-kit/core';
import {
  pollUntil,
  type Standalone,
  startStandalone,
  startTopology,
  type Topology,
} from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';

/** A logger that keeps what it is given, to count the once-per-burst warnings. */
function recordingLogger() {
  const all: string[] = [];
  return {
    all,
    /** The cache's own burst lines; the connector logs its node trouble through the same logger. */
    get bursts() {
      return all.filter((line) => line.startsWith('sentinel-kit cache'));
    },
    warn: (message: string) => {
      all.push(message);
    },
  };
}

describe('a server that goes away', () => {
  let server: Standalone | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('with ignoreExceptions: misses and no-ops, one warning per burst naming the alias', async () => {
    server = await startStandalone();
    const logger = recordingLogger();
    const cache = createCache(
      {
        location: server.location,
        keyPrefix: 'ie',
        options: { ignoreExceptions: true, logger, queueTimeout: 300 },
      },
      { alias: 'lenient' },
    );
    try {
      expect(await cache.set('k', 'before')).toBe(true);
      await server.stop();
      server = undefined;
      expect(await cache.get('k', 'fallback')).toBe('fallback');
      expect(await cache.set('k', 'lost')).toBe(false);
      expect(await cache.add('k', 'lost')).toBe(false);
      expect(await cache.getMany(['k'])).toEqual({});
      expect(await cache.setMany({ a: 1 })).toEqual(['a']);
      expect(await cache.has('k')).toBe(false);
      expect(await cache.delete('k')).toBe(false);
      expect(await cache.ttl('k')).toBe(0);
      expect(await cache.keys('*')).toEqual([]);
      expect(logger.bursts).toHaveLength(1);
      expect(logger.bursts[0]).toMatch(/cache "lenient".*ignoreExceptions/);
      // Programming errors are not connection failures: they still throw.
      await expect(cache.set('k', 10n)).rejects.toBeInstanceOf(SerializationError);
      await expect(cache.incr('k', 0.5)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    } finally {
      await cache.close();
    }
  });

  it('without ignoreExceptions: typed errors that name the alias', async () => {
    server = await startStandalone();
    const cache = createCache(
      { location: server.location, options: { queueTimeout: 300 } },
      { alias: 'strict' },
    );
    try {
      await cache.set('k', 1);
      await server.stop();
      server = undefined;
      for (const attempt of [cache.get('k'), cache.set('k', 2), cache.incr('k'), cache.getMany(['k'])]) {
        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SentinelKitError);
        expect((error as SentinelKitError).alias).toBe('strict');
      }
    } finally {
      await cache.close();
    }
  });
});

describe('kill -9 of the master under load', () => {
  let topo: Topology | undefined;
  let caches: Caches | undefined;
  afterEach(async () => {
    await caches?.close();
    await topo?.stop();
  });

  it('a cache with ignoreExceptions never throws; one without surfaces only typed errors; both recover', async () => {
    topo = await startTopology({ replicas: 1, sentinels: 3, downAfterMs: 1000 });
    const logger = recordingLogger();
    caches = createCaches({
      lenient: {
        location: topo.location,
        keyPrefix: 'lenient',
        options: { ignoreExceptions: true, logger, readFrom: 'master' },
      },
      strict: { location: topo.location, keyPrefix: 'strict', options: { readFrom: 'master' } },
    });
    const lenient = caches.get('lenient');
    const strict = caches.get('strict');
    await lenient.set('warm', 1);
    await strict.set('warm', 1);

    const lenientErrors: unknown[] = [];
    const strictErrors: unknown[] = [];
    let strictOk = 0;
    let running = true;
    const worker = async (index: number) => {
      for (let i = 0; running; i++) {
        const key = `w${index}:${i % 20}`;
        try {
          await lenient.set(key, { i });
          await lenient.get(key);
        } catch (error) {
          lenientErrors.push(error);
        }
        try {
          await strict.set(key, i);
          await strict.get(key);
          strictOk += 1;
        } catch (error) {
          strictErrors.push(error);
        }
      }
    };
    const workers = Array.from({ length: 5 }, (_, i) => worker(i));

    const switched = topo.waitForSwitch({ timeoutMs: 30_000 });
    const killed = await topo.killMaster();
    const to = await switched;
    expect(to.port).not.toBe(killed.port);
    // Keep the load on until the strict cache has done real work on the new master.
    const okAtSwitch = strictOk;
    await pollUntil(() => strictOk > okAtSwitch + 50, {
      description: 'writes to succeed after the switch',
      timeoutMs: 20_000,
    });
    running = false;
    await Promise.all(workers);

    expect(lenientErrors).toEqual([]);
    for (const error of strictErrors) {
      expect(error).toBeInstanceOf(SentinelKitError);
      expect((error as SentinelKitError).alias).toBeDefined();
    }
    // One warning when a burst starts and one when it ends, not one per failed command.
    expect(logger.bursts.length).toBeLessThanOrEqual(6);

    await lenient.set('after', 'new master');
    expect(await lenient.get('after')).toBe('new master');
    const raw = topo.client('master');
    expect(await raw.get('lenient:1:after')).toBe('"new master"');
    expect((await raw.call('ROLE')) as unknown[]).toContain('master');
  }, 60_000);
});
