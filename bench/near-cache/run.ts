import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { createClient } from 'redis';
import { type Cache, type Caches, createCache, createCaches } from '../../packages/core/src/index.js';
import { startTopology, type Topology } from '../../packages/testkit/src/index.js';
import { closedLoop, median } from '../closed-loop.ts';

/** One measured phase of the hot-key workload. */
interface HotPhase {
  subject: HotSubject;
  opsPerSec: number;
  cpuUsPerOp: number;
  round: number;
}

type HotSubject = 'near cache' | 'raw ioredis GET' | 'node-redis 5 client-side cache';
const SUBJECTS: HotSubject[] = ['near cache', 'raw ioredis GET', 'node-redis 5 client-side cache'];

/** The staleness window of one write: from the writer's acknowledgement to the last reader seeing it. */
interface Window {
  round: number;
  /** Milliseconds from the ack until every reader read the new value. */
  ms: number;
  afterSwitch: boolean;
}

export interface StalenessResult {
  label: string;
  windows: Window[];
  /** Reads issued after the reader knew of the switch, ≥ STALE_MS after a newer value was acknowledged, that returned the older one. */
  staleAfterSwitch: number;
  readsAfterSwitch: number;
  /** Writes no reader had seen STALE_CAP_MS after their ack. */
  neverSeen: number;
  flushes: number;
}

export interface NearCacheBenchResult {
  workload: string;
  hot: Record<HotSubject, { opsPerSec: number; cpuUs: number }>;
  /** Median of the per-round ratios near cache ÷ subject. */
  ratios: { raw: number; csc: number };
  staleness: StalenessResult[];
}

export interface NearCacheBenchOptions {
  /** Interleaved rounds of the hot-key workload. Default 10. */
  rounds?: number;
  /** Milliseconds each hot-key phase runs. Default 500 ms. */
  phaseMs?: number;
  /** Writes in each staleness run. Default 200. */
  writes?: number;
}

const HOT_KEYS = 100;
const CONCURRENCY = 50;
/** 98 characters: 100 bytes as JSON, as bench/cache stores. */
const TEXT = 'v'.repeat(98);
const READERS = 3;
/** A read this long after a newer value was acknowledged counts as stale (the target's max window). */
const STALE_MS = 100;
/** A write no reader has seen after this long counts as never seen; the round moves on. */
const STALE_CAP_MS = 5_000;

/**
 * Hot-key gets, 50 in flight over 100 keys, from the near cache against the raw ioredis GET the
 * cache's own master client sends and node-redis 5 with its client-side cache (RESP3, tracking on
 * its own connection) on the master's address, interleaved round by round.
 */
async function hotKeys(topo: Topology, rounds: number, phaseMs: number) {
  const near = createCache({
    location: topo.location,
    keyPrefix: 'bench',
    timeout: null,
    options: { nearCache: true },
  });
  const master = await topo.master();
  const csc = createClient({
    socket: { host: master.host, port: master.port },
    RESP: 3,
    clientSideCache: { ttl: 0, maxEntries: 10_000, evictPolicy: 'LRU' },
  });
  try {
    await csc.connect();
    const raw = near.client();
    for (let i = 0; i < HOT_KEYS; i++) await near.set(`k${i}`, TEXT);
    const ops: Record<HotSubject, (key: string) => Promise<unknown>> = {
      'near cache': (key) => near.get(key),
      'raw ioredis GET': (key) => raw.get(`bench:1:${key}`),
      'node-redis 5 client-side cache': (key) => csc.get(`bench:1:${key}`),
    };
    for (const subject of SUBJECTS)
      await closedLoop(ops[subject], { concurrency: CONCURRENCY, ms: 500, keys: HOT_KEYS });
    const phases: HotPhase[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = SUBJECTS.map((_, i) => SUBJECTS[(i + round) % SUBJECTS.length] as HotSubject);
      for (const subject of order) {
        const result = await closedLoop(ops[subject], {
          concurrency: CONCURRENCY,
          ms: phaseMs,
          keys: HOT_KEYS,
        });
        phases.push({ subject, round, ...result });
        // Hits settle without I/O; give the sockets a turn between phases.
        await nextTurn();
      }
    }
    const of = (subject: HotSubject) => phases.filter((p) => p.subject === subject);
    const at = (subject: HotSubject, round: number) =>
      phases.find((p) => p.subject === subject && p.round === round)?.opsPerSec ?? Number.NaN;
    const perRound = (peer: HotSubject) =>
      median(Array.from({ length: rounds }, (_, r) => at('near cache', r) / at(peer, r)));
    const hot = Object.fromEntries(
      SUBJECTS.map((s) => [
        s,
        { opsPerSec: median(of(s).map((p) => p.opsPerSec)), cpuUs: median(of(s).map((p) => p.cpuUsPerOp)) },
      ]),
    ) as NearCacheBenchResult['hot'];
    return {
      hot,
      ratios: { raw: perRound('raw ioredis GET'), csc: perRound('node-redis 5 client-side cache') },
    };
  } finally {
    await csc.close().catch(() => {});
    await near.close();
  }
}

/** One reader: its own registry (own connector, own near cache), and when it learned of a switch. */
interface Reader {
  caches: Caches;
  cache: Cache;
  switchKnownAt: number | undefined;
}

/** Reads `key` until the reader holds `value` in memory (a hit that returns it). */
async function holdValue(reader: Reader, value: string): Promise<void> {
  for (;;) {
    const hits = reader.cache.nearCache?.hits ?? 0;
    const got = await reader.cache.get('hot');
    if (got === value && (reader.cache.nearCache?.hits ?? 0) > hits) return;
    await nextTurn();
  }
}

/**
 * Writer acknowledgement → every reader sees the value: `writes` writes by a cache without a near
 * cache, read by three near caches of their own (each its own connector and connections). With
 * `failover`, a SENTINEL FAILOVER starts halfway through.
 */
async function staleness(topo: Topology, writes: number, failover: boolean): Promise<StalenessResult> {
  const writer = createCache({ location: topo.location, keyPrefix: 'stale', timeout: null });
  const readers: Reader[] = Array.from({ length: READERS }, () => {
    const caches = createCaches({
      default: { location: topo.location, keyPrefix: 'stale', timeout: null, options: { nearCache: true } },
    });
    const reader: Reader = { caches, cache: caches.default, switchKnownAt: undefined };
    caches.connector('default').on('failover', () => {
      reader.switchKnownAt ??= performance.now();
    });
    return reader;
  });
  const windows: Window[] = [];
  let staleAfterSwitch = 0;
  let readsAfterSwitch = 0;
  let neverSeen = 0;
  let failing: Promise<void> | undefined;
  try {
    await writer.set('hot', 'v0');
    for (let round = 1; round <= writes; round++) {
      await Promise.all(readers.map((r) => holdValue(r, `v${round - 1}`)));
      if (failover && round === Math.floor(writes / 2)) failing = topo.failover();
      await writer.set('hot', `v${round}`);
      const ackedAt = performance.now();
      const seen = await Promise.all(
        readers.map(async (reader) => {
          for (;;) {
            const issuedAt = performance.now();
            const got = await reader.cache.get('hot');
            const known = reader.switchKnownAt !== undefined && issuedAt >= reader.switchKnownAt;
            if (known) readsAfterSwitch += 1;
            if (got === `v${round}`) return performance.now();
            if (known && issuedAt - ackedAt >= STALE_MS) staleAfterSwitch += 1;
            if (issuedAt - ackedAt > STALE_CAP_MS) return undefined;
            await nextTurn();
          }
        }),
      );
      if (seen.some((at) => at === undefined)) {
        neverSeen += 1;
        continue;
      }
      const last = Math.max(...(seen as number[]));
      windows.push({
        round,
        ms: last - ackedAt,
        afterSwitch: readers.some((r) => r.switchKnownAt !== undefined && r.switchKnownAt <= ackedAt),
      });
    }
    await failing;
    return {
      label: failover ? `with a SENTINEL FAILOVER at write ${Math.floor(writes / 2)}` : 'steady',
      windows,
      staleAfterSwitch,
      readsAfterSwitch,
      neverSeen,
      flushes: readers.reduce((sum, r) => sum + (r.cache.nearCache?.flushes ?? 0), 0),
    };
  } finally {
    await writer.close();
    await Promise.all(readers.map((r) => r.caches.close()));
  }
}

export async function runNearCacheBench(options: NearCacheBenchOptions = {}): Promise<NearCacheBenchResult> {
  const { rounds = 10, phaseMs = 500, writes = 200 } = options;
  const topo = await startTopology({ replicas: 2, sentinels: 3 });
  try {
    const { hot, ratios } = await hotKeys(topo, rounds, phaseMs);
    const steady = await staleness(topo, writes, false);
    const switched = await staleness(topo, writes, true);
    return {
      workload:
        `hot keys: ${CONCURRENCY} in flight over ${HOT_KEYS} keys, 100-byte values, ${rounds} interleaved rounds × ` +
        `${phaseMs} ms per subject; staleness: ${writes} writes by a cache without near cache, each read back ` +
        `by ${READERS} near caches of their own (own connectors) in the same process, every reader holding the ` +
        'old value in memory before each write; sentinel topology (1 master + 2 replicas + 3 sentinels, ' +
        'redis-server 7.0, loopback)',
      hot,
      ratios,
      staleness: [steady, switched],
    };
  } finally {
    await topo.stop();
  }
}

const percentile = (values: number[], q: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
};

export function formatNearCacheTable(result: NearCacheBenchResult): string {
  const lines = [
    '| hot-key get | ops/s (median) | client CPU µs/op | near cache ÷ this (median of per-round ratios) |',
    '|---|---:|---:|---:|',
  ];
  for (const subject of SUBJECTS) {
    const { opsPerSec, cpuUs } = result.hot[subject];
    const ratio =
      subject === 'raw ioredis GET'
        ? result.ratios.raw.toFixed(1)
        : subject === 'node-redis 5 client-side cache'
          ? result.ratios.csc.toFixed(2)
          : '—';
    lines.push(`| ${subject} | ${Math.round(opsPerSec)} | ${cpuUs.toFixed(2)} | ${ratio} |`);
  }
  lines.push(
    '',
    '| staleness run | writes seen | window p50 | p99 | max | after the switch: max window | stale reads after the switch (of reads) | never seen | flushes (3 readers) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const run of result.staleness) {
    const ms = run.windows.map((w) => w.ms);
    const after = run.windows.filter((w) => w.afterSwitch).map((w) => w.ms);
    const fmt = (v: number) => (Number.isNaN(v) ? '—' : `${v.toFixed(2)} ms`);
    lines.push(
      `| ${run.label} | ${run.windows.length} | ${fmt(percentile(ms, 0.5))} | ${fmt(percentile(ms, 0.99))} | ` +
        `${fmt(Math.max(...ms))} | ${after.length === 0 ? '—' : fmt(Math.max(...after))} | ` +
        `${run.readsAfterSwitch === 0 ? '—' : `${run.staleAfterSwitch} (of ${run.readsAfterSwitch})`} | ${run.neverSeen} | ${run.flushes} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runNearCacheBench();
  console.log(`Workload: ${result.workload}\n\n${formatNearCacheTable(result)}`);
}
