import { pathToFileURL } from 'node:url';
import { startTopology } from '@sentinel-kit/testkit';
import autocannon from 'autocannon';
import { median } from '../closed-loop.ts';
import { startBenchApp } from './bench-app.js';
import { SESSION_SUBJECTS, type SessionSubject } from './subjects.js';

/** Knobs of {@link runSessionBench}. */
export interface SessionBenchOptions {
  /** Seconds each store is loaded per round (after a 1 s warm-up). Default 6 s. */
  durationSec?: number;
  /** Concurrent HTTP connections. Default 32. */
  connections?: number;
  /** Logged-in sessions the requests rotate over. Default 200. */
  sessions?: number;
  /** Rounds; each round runs every store once, the order rotated so none always goes first. Default 3. */
  rounds?: number;
}

export interface SessionBenchRow {
  store: string;
  /** Mean requests per second over all rounds. */
  requestsPerSec: number;
  /** Median of the rounds' p50 / p99 latencies, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers plus socket errors and timeouts; must be 0. */
  failed: number;
}

export interface SessionBenchResult {
  workload: string;
  rows: SessionBenchRow[];
  /** sentinel-kit requests/s ÷ connect-redis on node-redis requests/s; the goal is ≥ 1.0. */
  ratio: number;
  /** Share of requests/s that `durability: { replicas: 1, timeout: 50 }` costs, 0..1. */
  durabilityCost: number;
}

async function load(subject: SessionSubject, options: Required<SessionBenchOptions>, seconds: number) {
  const app = await startBenchApp(subject.store, options.sessions);
  try {
    let next = 0;
    return await autocannon({
      url: app.url,
      connections: options.connections,
      duration: seconds,
      requests: [
        {
          method: 'GET',
          path: '/',
          setupRequest: (request) => {
            next = (next + 1) % app.cookies.length;
            return { ...request, headers: { ...request.headers, cookie: app.cookies[next] as string } };
          },
        },
      ],
    });
  } finally {
    await app.close();
  }
}

/**
 * Requests/s of one express app with `SentinelSessionStore` vs connect-redis 9 on node-redis
 * `createSentinel`, same app, same topology, same run; plus the cost of `durability` (WAIT).
 */
export async function runSessionBench(options: SessionBenchOptions = {}): Promise<SessionBenchResult> {
  const settings: Required<SessionBenchOptions> = {
    durationSec: options.durationSec ?? 6,
    connections: options.connections ?? 32,
    sessions: options.sessions ?? 200,
    rounds: options.rounds ?? 3,
  };
  const topo = await startTopology({ replicas: 1, sentinels: 3, password: 'bench-pw' });
  const subjects: SessionSubject[] = [];
  try {
    for (const factory of SESSION_SUBJECTS) subjects.push(await factory(topo));
    const samples = new Map<string, { rps: number; p50: number; p99: number; failed: number }[]>();
    for (let round = 0; round < settings.rounds; round++) {
      for (let i = 0; i < subjects.length; i++) {
        const subject = subjects[(i + round) % subjects.length] as SessionSubject;
        await load(subject, settings, 1);
        const r = await load(subject, settings, settings.durationSec);
        const list = samples.get(subject.name) ?? [];
        list.push({
          rps: r.requests.total / settings.durationSec,
          p50: r.latency.p50,
          p99: r.latency.p99,
          failed: r.non2xx + r.errors + r.timeouts,
        });
        samples.set(subject.name, list);
      }
    }
    const rows = subjects.map((s): SessionBenchRow => {
      const list = samples.get(s.name) ?? [];
      return {
        store: s.name,
        requestsPerSec: Math.round(list.reduce((sum, x) => sum + x.rps, 0) / list.length),
        p50Ms: median(list.map((x) => x.p50)),
        p99Ms: median(list.map((x) => x.p99)),
        failed: list.reduce((sum, x) => sum + x.failed, 0),
      };
    });
    const [ours, peer, durable] = rows as [SessionBenchRow, SessionBenchRow, SessionBenchRow];
    return {
      workload:
        `1 master + 1 replica + 3 sentinels (redis-server 7.0, loopback, password); express 5 + express-session, ` +
        `GET / reads the session, counts and saves it (1 GET + 1 SET); autocannon ${settings.connections} connections ` +
        `over ${settings.sessions} sessions, ${settings.rounds} rounds × ${settings.durationSec} s per store, order rotated`,
      rows,
      ratio: ours.requestsPerSec / peer.requestsPerSec,
      durabilityCost: 1 - durable.requestsPerSec / ours.requestsPerSec,
    };
  } finally {
    await Promise.all(subjects.map((s) => s.close()));
    await topo.stop();
  }
}

export function formatSessionTable(result: SessionBenchResult): string {
  const lines = ['| store | requests/s | p50 latency | p99 latency | failed |', '|---|---|---|---|---|'];
  for (const r of result.rows) {
    lines.push(`| ${r.store} | ${r.requestsPerSec} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.failed} |`);
  }
  lines.push(
    '',
    `Ratio sentinel-kit / connect-redis on node-redis: ${result.ratio.toFixed(2)} (goal ≥ 1.0). ` +
      `durability { replicas: 1, timeout: 50 } costs ${(result.durabilityCost * 100).toFixed(0)} % of requests/s.`,
  );
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runSessionBench();
  console.log(`Workload: ${result.workload}\n`);
  console.log(formatSessionTable(result));
}
