import { pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { type Cache, createCache } from '../../packages/core/src/index.js';
import { startTopology } from '../../packages/testkit/src/index.js';
import { closedLoop, median } from '../closed-loop.ts';

/** One measured phase: one client, one operation, for a fixed time. */
interface Phase {
  subject: 'Cache' | 'raw ioredis';
  op: 'get' | 'set';
  opsPerSec: number;
  /** Client-process CPU (user + system) per operation, in microseconds: immune to other processes. */
  cpuUsPerOp: number;
  round: number;
}

export interface CacheBenchResult {
  workload: string;
  /**
   * Per operation: median ops/s of each subject over the rounds, and the median of the per-round
   * ratios Cache/raw (each round's two phases run back to back, so drift hits both alike).
   */
  medians: Record<
    'get' | 'set',
    {
      cache: number;
      raw: number;
      ratio: number;
      ratioIqr: [number, number];
      /** Median client CPU µs per operation. */
      cpuUs: { cache: number; raw: number };
    }
  >;
  phases: Phase[];
}

export interface CacheBenchOptions {
  /** Interleaved rounds; each runs every (subject, op) pair once. Default 20. */
  rounds?: number;
  /** Milliseconds each phase runs. Default 500 ms. */
  phaseMs?: number;
  /** Requests in flight at once. Default 50. */
  concurrency?: number;
}

const KEYS = 1000;
/** 98 characters: as JSON (with its two quotes) the cache stores exactly 100 bytes, as the raw client does. */
const TEXT = 'v'.repeat(98);
const STORED = JSON.stringify(TEXT);
const TIMEOUT_SECONDS = 300;

type Op = (key: string) => Promise<unknown>;

function ops(cache: Cache, raw: Redis): Record<Phase['subject'], Record<Phase['op'], Op>> {
  return {
    Cache: {
      get: (key) => cache.get(key),
      set: (key) => cache.set(key, TEXT),
    },
    // The same commands the cache sends, on the same socket: GET, and SET with PX.
    'raw ioredis': {
      get: (key) => raw.get(`bench:1:${key}`),
      set: (key) => raw.set(`bench:1:${key}`, STORED, 'PX', TIMEOUT_SECONDS * 1000),
    },
  };
}

/**
 * `Cache.get`/`Cache.set` against the raw ioredis client the cache itself uses (same socket, same
 * commands), 50 in flight, 100-byte values, the two subjects interleaved round by round so drift
 * on a shared machine hits both alike.
 */
export async function runCacheBench(options: CacheBenchOptions = {}): Promise<CacheBenchResult> {
  const { rounds = 20, phaseMs = 500, concurrency = 50 } = options;
  const topo = await startTopology({ replicas: 1, sentinels: 3 });
  const cache = createCache({ location: topo.location, keyPrefix: 'bench', options: { readFrom: 'master' } });
  try {
    // A sentinel alias: its client is one server's `Redis`, never a cluster's.
    const raw = cache.client() as Redis;
    const subjects = ops(cache, raw);
    for (let i = 0; i < KEYS; i++) await cache.set(`k${i}`, TEXT);
    // Warm-up: JIT both paths before measuring.
    for (const subject of Object.values(subjects)) {
      await closedLoop(subject.get, { concurrency, ms: 500, keys: KEYS });
      await closedLoop(subject.set, { concurrency, ms: 500, keys: KEYS });
    }
    const phases: Phase[] = [];
    for (let round = 0; round < rounds; round++) {
      const order: Phase['subject'][] = round % 2 === 0 ? ['Cache', 'raw ioredis'] : ['raw ioredis', 'Cache'];
      for (const op of ['get', 'set'] as const) {
        for (const subject of order) {
          phases.push({
            subject,
            op,
            round,
            ...(await closedLoop(subjects[subject][op], { concurrency, ms: phaseMs, keys: KEYS })),
          });
        }
      }
    }
    const of = (
      subject: Phase['subject'],
      op: Phase['op'],
      field: 'opsPerSec' | 'cpuUsPerOp' = 'opsPerSec',
    ) => median(phases.filter((p) => p.subject === subject && p.op === op).map((p) => p[field]));
    const row = (op: Phase['op']) => {
      const ratios = Array.from({ length: rounds }, (_, round) => {
        const at = (subject: Phase['subject']) =>
          phases.find((p) => p.subject === subject && p.op === op && p.round === round)?.opsPerSec ??
          Number.NaN;
        return at('Cache') / at('raw ioredis');
      });
      const sorted = [...ratios].sort((a, b) => a - b);
      const quartile = (q: number) => sorted[Math.floor(q * (sorted.length - 1))] as number;
      return {
        cache: of('Cache', op),
        raw: of('raw ioredis', op),
        ratio: median(ratios),
        ratioIqr: [quartile(0.25), quartile(0.75)] as [number, number],
        cpuUs: { cache: of('Cache', op, 'cpuUsPerOp'), raw: of('raw ioredis', op, 'cpuUsPerOp') },
      };
    };
    return {
      workload:
        `${concurrency} concurrent, 100-byte values, ${KEYS} keys, ${rounds} interleaved rounds × ${phaseMs} ms per ` +
        'phase; sentinel topology (1 master + 1 replica + 3 sentinels, redis-server 7.0, loopback), readFrom master',
      medians: { get: row('get'), set: row('set') },
      phases,
    };
  } finally {
    await cache.close();
    await topo.stop();
  }
}

export function formatCacheTable(result: CacheBenchResult): string {
  const lines = [
    '| op | Cache ops/s (median) | raw ioredis ops/s (median) | Cache/raw (median of per-round ratios) | per-round ratios, 25th–75th percentile | client CPU µs/op, Cache vs raw |',
    '|---|---|---|---|---|---|',
  ];
  for (const op of ['get', 'set'] as const) {
    const { cache, raw, ratio, ratioIqr, cpuUs } = result.medians[op];
    const [low, high] = ratioIqr;
    lines.push(
      `| ${op} | ${Math.round(cache)} | ${Math.round(raw)} | ${ratio.toFixed(3)} | ${low.toFixed(3)}–${high.toFixed(3)} | ` +
        `${cpuUs.cache.toFixed(2)} vs ${cpuUs.raw.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runCacheBench();
  console.log(`Workload: ${result.workload}\n`);
  console.log(formatCacheTable(result));
}
