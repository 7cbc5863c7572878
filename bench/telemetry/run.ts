import { pathToFileURL } from 'node:url';
import { type Cache, createCache } from '../../packages/core/src/index.js';
import { unobservedCalls } from '../../packages/core/src/telemetry/cache-calls.js';
import { connectionOf } from '../../packages/core/src/telemetry/observed-connection.js';
import { startTopology } from '../../packages/testkit/src/index.js';
import { closedLoop, median } from '../closed-loop.ts';
import { type RegisteredSdk, registerSdk } from './sdk.ts';

/**
 * What each phase runs: the cache as built before telemetry existed (twice, on two caches: how far
 * two identical subjects land apart in this run is its noise), and with it under three setups.
 */
const MODES = [
  'without instrumentation',
  'without instrumentation, again',
  'no SDK',
  'SDK, sampling off',
  'SDK, sampling on',
] as const;
type Mode = (typeof MODES)[number];
type Op = 'get' | 'set';

interface Phase {
  mode: Mode;
  op: Op;
  round: number;
  opsPerSec: number;
  cpuUsPerOp: number;
}

export interface TelemetryBenchResult {
  workload: string;
  /** Per op and mode: median ops/s, median CPU µs/op, and the median (and IQR) of per-round ratios to the uninstrumented build. */
  rows: { op: Op; mode: Mode; opsPerSec: number; cpuUs: number; ratio: number; iqr: [number, number] }[];
  phases: Phase[];
}

const KEYS = 1000;
const TEXT = 'v'.repeat(98);

/**
 * The cache's methods and connection as they were before instrumentation was added, on one cache:
 * own properties shadow the observed methods of the prototype, so both builds run in one process.
 */
function withoutInstrumentation(cache: Cache): Cache {
  Object.assign(cache, unobservedCalls);
  const inner = connectionOf(cache);
  if (inner === undefined) throw new Error('the cache has no observed connection');
  (cache as unknown as { connection: unknown }).connection = inner;
  return cache;
}

/**
 * `Cache.get`/`Cache.set` (bench/cache's workload: 50 in flight, 100-byte values, readFrom master)
 * in five modes, interleaved round by round with the order rotated, so drift on a shared machine
 * hits every mode alike: the same build without instrumentation (its methods from before they were
 * wrapped; two caches of it, whose difference is the noise), instrumented with no SDK registered, with an SDK whose sampler drops every span (the
 * metrics still record), and with an SDK sampling every span into a batch processor.
 */
export async function runTelemetryBench(
  options: { rounds?: number; phaseMs?: number; concurrency?: number } = {},
): Promise<TelemetryBenchResult> {
  const { rounds = 12, phaseMs = 500, concurrency = 50 } = options;
  const topo = await startTopology({ replicas: 1, sentinels: 3 });
  const config = { location: topo.location, keyPrefix: 'bench', options: { readFrom: 'master' as const } };
  const observed = createCache(config, { alias: 'bench' });
  const bare = withoutInstrumentation(createCache(config, { alias: 'bench' }));
  const bareAgain = withoutInstrumentation(createCache(config, { alias: 'bench' }));
  let sdk: RegisteredSdk | undefined;
  const enter = async (mode: Mode) => {
    await sdk?.unregister();
    sdk = undefined;
    if (mode === 'SDK, sampling off') sdk = registerSdk({ sampling: false });
    if (mode === 'SDK, sampling on') sdk = registerSdk({ sampling: true });
  };
  const opsOf = (mode: Mode): Record<Op, (key: string) => Promise<unknown>> => {
    const cache =
      mode === 'without instrumentation'
        ? bare
        : mode === 'without instrumentation, again'
          ? bareAgain
          : observed;
    return { get: (key) => cache.get(key), set: (key) => cache.set(key, TEXT) };
  };
  try {
    for (let i = 0; i < KEYS; i++) await observed.set(`k${i}`, TEXT);
    for (const mode of MODES) {
      await enter(mode);
      for (const op of ['get', 'set'] as const)
        await closedLoop(opsOf(mode)[op], { concurrency, ms: 500, keys: KEYS });
    }
    const phases: Phase[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = MODES.map((_, i) => MODES[(i + round) % MODES.length] as Mode);
      for (const mode of order) {
        await enter(mode);
        for (const op of ['get', 'set'] as const) {
          const result = await closedLoop(opsOf(mode)[op], { concurrency, ms: phaseMs, keys: KEYS });
          phases.push({ mode, op, round, ...result });
        }
      }
    }
    await enter('no SDK');
    const rows = (['get', 'set'] as const).flatMap((op) =>
      MODES.map((mode) => {
        const mine = phases.filter((p) => p.mode === mode && p.op === op);
        const ratios = mine
          .map((p) => {
            const base = phases.find(
              (b) => b.mode === 'without instrumentation' && b.op === op && b.round === p.round,
            );
            return p.opsPerSec / (base?.opsPerSec ?? Number.NaN);
          })
          .sort((a, b) => a - b);
        const quartile = (q: number) => ratios[Math.floor(q * (ratios.length - 1))] as number;
        return {
          op,
          mode,
          opsPerSec: median(mine.map((p) => p.opsPerSec)),
          cpuUs: median(mine.map((p) => p.cpuUsPerOp)),
          ratio: median(ratios),
          iqr: [quartile(0.25), quartile(0.75)] as [number, number],
        };
      }),
    );
    return {
      workload:
        `${concurrency} concurrent, 100-byte values, ${KEYS} keys, ${rounds} interleaved rounds × ${phaseMs} ms per ` +
        'phase and mode; sentinel topology (1 master + 1 replica + 3 sentinels, loopback), readFrom master',
      rows,
      phases,
    };
  } finally {
    await sdk?.unregister();
    await observed.close();
    await bare.close();
    await bareAgain.close();
    await topo.stop();
  }
}

export function formatTelemetryTable(result: TelemetryBenchResult): string {
  const lines = [
    '| op | mode | ops/s (median) | ÷ without instrumentation (median of per-round ratios) | per-round ratios, 25th–75th percentile | client CPU µs/op |',
    '|---|---|---|---|---|---|',
  ];
  for (const row of result.rows) {
    lines.push(
      `| ${row.op} | ${row.mode} | ${Math.round(row.opsPerSec)} | ${row.ratio.toFixed(3)} | ` +
        `${row.iqr[0].toFixed(3)}–${row.iqr[1].toFixed(3)} | ${row.cpuUs.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runTelemetryBench();
  console.log(`Workload: ${result.workload}\n`);
  console.log(formatTelemetryTable(result));
}
