import { pathToFileURL } from 'node:url';
import KeyvRedis from '@keyv/redis';
import KeyvValkey from '@keyv/valkey';
import { type Cache as CacheManager, createCache } from 'cache-manager';
import { Redis } from 'ioredis';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import { KeyvAnyRedis } from 'keyv-anyredis';
import { createClient } from 'redis';
import { createCache as createSentinelCache } from '../../packages/core/src/index.js';
// What SentinelCacheModule provides as CACHE_MANAGER (`CachesService.cacheManager('default')`),
// imported from its own file so the bench needs no Nest container or decorator transform.
import { createCacheManager } from '../../packages/nestjs/src/create-cache-manager.js';
import { startTopology } from '../../packages/testkit/src/index.js';
import { closedLoop, median } from '../closed-loop.ts';

type Op = 'get' | 'set';
type Run = (key: string) => Promise<unknown>;

/**
 * What a row is: our store, a peer store (the ratio goals are against these), or a layer below ours
 * measured to show where the time goes.
 */
export type SubjectKind = 'ours' | 'store' | 'layer';

/** A thing measured: how it gets and sets one key, and what kind of row it is. */
interface Subject {
  name: string;
  kind: SubjectKind;
  ops: Record<Op, Run>;
}

interface Phase {
  subject: string;
  op: Op;
  opsPerSec: number;
}

export interface NestBenchRow {
  subject: string;
  kind: SubjectKind;
  get: number;
  set: number;
  /** Ours ÷ this subject (≥ 1 means KeyvSentinelStore is at least as fast). */
  ratioGet: number;
  ratioSet: number;
}

export interface NestBenchResult {
  workload: string;
  /** Median ops/s per subject over the interleaved rounds. */
  rows: NestBenchRow[];
  phases: Phase[];
}

export interface NestBenchOptions {
  /** Interleaved rounds; each runs every (subject, op) pair once. Default 3. */
  rounds?: number;
  /** Milliseconds each phase runs. Default 1000 ms. */
  phaseMs?: number;
  /** Requests in flight at once. Default 50. */
  concurrency?: number;
}

const OURS = 'CACHE_MANAGER → KeyvSentinelStore (sentinel-kit)';
const KEYS = 1000;
const TEXT = 'v'.repeat(98);
/** cache-manager and Keyv speak milliseconds: 300 s, the Django default timeout. */
const TTL_MS = 300_000;

/** The way @nestjs/cache-manager wraps a bare store (`CacheModule.register({ stores: [store] })`). */
const nestCacheManager = (store: KeyvStoreAdapter): CacheManager =>
  createCache({ stores: [new Keyv({ store, namespace: undefined })] });

const viaCacheManager = (manager: CacheManager, tag: string): Record<Op, Run> => ({
  get: (key) => manager.get(`${tag}:${key}`),
  set: (key) => manager.set(`${tag}:${key}`, TEXT, TTL_MS),
});

/**
 * `CACHE_MANAGER` get/set (cache-manager 7 on Keyv 5, as @nestjs/cache-manager builds it) through
 * `KeyvSentinelStore` against the same Redis master through keyv-anyredis (ioredis),
 * @keyv/valkey (iovalkey, an ioredis fork) and @keyv/redis (node-redis 5), 50 in flight,
 * 100-character values, all subjects interleaved round by round in one run. Layers below ours
 * (`Cache` alone, raw ioredis, raw node-redis) run in the same rounds to show where time goes.
 */
export async function runNestBench(options: NestBenchOptions = {}): Promise<NestBenchResult> {
  const { rounds = 3, phaseMs = 1000, concurrency = 50 } = options;
  const topo = await startTopology({ replicas: 1, sentinels: 3 });
  const master = await topo.master();
  const url = `redis://${master.host}:${master.port}`;
  // Reads from the master, so every subject talks to the same server.
  const cache = createSentinelCache({
    location: topo.location,
    keyPrefix: 'nb',
    options: { readFrom: 'master' },
  });
  const ioredis = new Redis({ host: master.host, port: master.port });
  const nodeRedis = createClient({ url });
  await nodeRedis.connect();
  const anyredisClient = new Redis({ host: master.host, port: master.port });
  const valkey = new KeyvValkey(url);
  const keyvRedis = new KeyvRedis(url);
  try {
    const subjects: Subject[] = [
      { name: OURS, kind: 'ours', ops: viaCacheManager(createCacheManager(cache), 'ours') },
      {
        name: 'CACHE_MANAGER → keyv-anyredis (ioredis 6)',
        kind: 'store',
        ops: viaCacheManager(
          nestCacheManager(new KeyvAnyRedis(anyredisClient) as unknown as KeyvStoreAdapter),
          'any',
        ),
      },
      {
        name: 'CACHE_MANAGER → @keyv/valkey (iovalkey)',
        kind: 'store',
        ops: viaCacheManager(nestCacheManager(valkey as unknown as KeyvStoreAdapter), 'valkey'),
      },
      {
        name: 'CACHE_MANAGER → @keyv/redis (node-redis 5)',
        kind: 'store',
        ops: viaCacheManager(nestCacheManager(keyvRedis as unknown as KeyvStoreAdapter), 'kr'),
      },
      {
        name: 'layer: ours with read batching off (batchReads: false)',
        kind: 'layer',
        ops: viaCacheManager(createCacheManager(cache, { batchReads: false }), 'ours1'),
      },
      {
        name: 'layer: sentinel-kit Cache alone (no Keyv, no cache-manager)',
        kind: 'layer',
        ops: {
          get: (key) => cache.get(`cache:${key}`),
          set: (key) => cache.set(`cache:${key}`, TEXT, TTL_MS / 1000),
        },
      },
      {
        name: 'layer: raw ioredis 6 GET / SET PX',
        kind: 'layer',
        ops: {
          get: (key) => ioredis.get(`raw:${key}`),
          set: (key) => ioredis.set(`raw:${key}`, TEXT, 'PX', TTL_MS),
        },
      },
      {
        name: 'layer: raw node-redis 5 GET / SET PX',
        kind: 'layer',
        ops: {
          get: (key) => nodeRedis.get(`nr:${key}`),
          set: (key) => nodeRedis.set(`nr:${key}`, TEXT, { PX: TTL_MS }),
        },
      },
    ];
    for (const subject of subjects) {
      for (let i = 0; i < KEYS; i += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, j) => subject.ops.set(`k${i + j}`)));
      }
      // Warm-up: JIT every path before measuring.
      await closedLoop(subject.ops.get, { concurrency, ms: 300, keys: KEYS });
      await closedLoop(subject.ops.set, { concurrency, ms: 300, keys: KEYS });
    }
    const phases: Phase[] = [];
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round, so no subject always runs first or last.
      const order = subjects.map((_, i) => subjects[(i + round) % subjects.length] as Subject);
      for (const op of ['get', 'set'] as const) {
        for (const subject of order) {
          phases.push({
            subject: subject.name,
            op,
            opsPerSec: (await closedLoop(subject.ops[op], { concurrency, ms: phaseMs, keys: KEYS }))
              .opsPerSec,
          });
        }
      }
    }
    const of = (name: string, op: Op) =>
      median(phases.filter((p) => p.subject === name && p.op === op).map((p) => p.opsPerSec));
    const rows = subjects.map(({ name, kind }) => ({
      subject: name,
      kind,
      get: of(name, 'get'),
      set: of(name, 'set'),
      ratioGet: of(OURS, 'get') / of(name, 'get'),
      ratioSet: of(OURS, 'set') / of(name, 'set'),
    }));
    return {
      workload:
        `${concurrency} concurrent, 100-character string values, ttl ${TTL_MS} ms, ${KEYS} keys per subject, ` +
        `${rounds} interleaved rounds × ${phaseMs} ms per phase; one redis-server 7.0 master on loopback ` +
        '(sentinel topology: 1 master + 1 replica + 3 sentinels; sentinel-kit reads from the master)',
      rows,
      phases,
    };
  } finally {
    await cache.close();
    ioredis.disconnect();
    anyredisClient.disconnect();
    await nodeRedis.quit();
    await valkey.disconnect();
    await keyvRedis.disconnect();
    await topo.stop();
  }
}

export function formatNestTable(result: NestBenchResult): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    '| subject | get ops/s | set ops/s | ours ÷ it, get | ours ÷ it, set |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const row of result.rows) {
    lines.push(
      `| ${row.subject} | ${fmt(row.get)} | ${fmt(row.set)} | ${row.ratioGet.toFixed(2)} | ${row.ratioSet.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runNestBench();
  console.log(`Workload: ${result.workload}\n`);
  console.log(formatNestTable(result));
}
