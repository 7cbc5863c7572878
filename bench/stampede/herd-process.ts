// One process of the stampede bench: connects its subject, says "ready", and on "go" starts its
// callers on one cold key. The producer stands in for a database query: it counts its runs in Redis
// (so runs of every process add up) and takes `producerMs`.
import { setTimeout as sleep } from 'node:timers/promises';
import KeyvRedis from '@keyv/redis';
import { createCache as createCacheManager } from 'cache-manager';
import { Redis } from 'ioredis';
import { Keyv } from 'keyv';
import { createCache } from '../../packages/core/src/index.js';

export type StampedeSubject = 'getOrSet-lock' | 'poll-lock' | 'getOrSet' | 'wrap';

export interface HerdProcessConfig {
  subject: StampedeSubject;
  /** The sentinel location (sentinel-kit) and the master's address (the peer). */
  location: string;
  masterUrl: string;
  key: string;
  callers: number;
  producerMs: number;
}

export type HerdProcessMessage = { ready: true } | { done: { ms: number[]; errors: number } };

const config = JSON.parse(process.argv[2] ?? '{}') as HerdProcessConfig;
const counter = new Redis(config.masterUrl);
const TTL_S = 60;

const producer = async () => {
  await counter.incr(`stampede-runs:${config.key}`);
  await sleep(config.producerMs);
  return { rows: 'v'.repeat(98) };
};

async function subject(): Promise<{ call: () => Promise<unknown>; close: () => Promise<void> }> {
  if (config.subject === 'wrap') {
    // cache-manager 7 over @keyv/redis (node-redis 5), the way its README wires it.
    const keyv = new Keyv({ store: new KeyvRedis(config.masterUrl) });
    const manager = createCacheManager({ stores: [keyv] });
    await manager.get('warm-up');
    return {
      call: () => manager.wrap(config.key, producer, TTL_S * 1000),
      close: async () => {
        await manager.disconnect();
      },
    };
  }
  const cache = createCache({ location: config.location, keyPrefix: 'stampede' });
  await cache.get('warm-up');
  if (config.subject === 'poll-lock') {
    // The alternative to announcements: one flight per process, and across processes a redis-py
    // style Lock that waiters poll every 50 ms (20 attempts a second); the holder of the lock looks
    // for a value a previous holder stored before it produces.
    const polled = async () => {
      const lock = cache.lock(`${config.key}:poll-lock`, { timeout: 10, sleep: 0.05 });
      await lock.acquire();
      try {
        const stored = await cache.client().get(cache.makeKey(config.key));
        return stored === null ? await producer() : (JSON.parse(stored) as { rows: string });
      } finally {
        await lock.release();
      }
    };
    return { call: () => cache.getOrSet(config.key, polled, TTL_S), close: () => cache.close() };
  }
  const lock = config.subject === 'getOrSet-lock';
  return {
    call: () => cache.getOrSet(config.key, producer, TTL_S, { lock }),
    close: () => cache.close(),
  };
}

const { call, close } = await subject();
process.on('message', (message: { go?: boolean }) => {
  if (!message.go) return;
  let errors = 0;
  const one = async () => {
    const started = performance.now();
    try {
      await call();
    } catch {
      errors += 1;
    }
    return performance.now() - started;
  };
  void Promise.all(Array.from({ length: config.callers }, one)).then(async (ms) => {
    process.send?.({ done: { ms, errors } } satisfies HerdProcessMessage);
    await close();
    counter.disconnect();
    process.disconnect?.();
  });
});
process.send?.({ ready: true } satisfies HerdProcessMessage);
