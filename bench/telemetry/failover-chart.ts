/**
 * A real failover as an operator sees it through sentinel-kit's metrics: a cache under steady
 * load, a SENTINEL FAILOVER, and the registered SDK scraped every 50 ms (as Prometheus would, only
 * more often). Draws docs/observability-failover.svg from what the scrapes returned — cache calls
 * per second by operation and result, the write hold (`sentinel_kit.failover.hold.duration`), the
 * resume (`sentinel_kit.failover.resume.duration`) — and prints the numbers.
 *
 *   pnpm --filter @sentinel-kit/bench exec tsx --tsconfig tsconfig.json telemetry/failover-chart.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import { createCache } from '../../packages/core/src/index.js';
import { startTopology } from '../../packages/testkit/src/index.js';
import { registerSdk, type ScrapeReader } from './sdk.ts';

const SCRAPE_MS = 50;
const BEFORE_MS = 2000;
const AFTER_MS = 2500;
const WORKERS = 16;
const chartPath = fileURLToPath(new URL('../../docs/observability-failover.svg', import.meta.url));

interface Scrape {
  /** Seconds since the load started. */
  t: number;
  /** Cumulative counts of `sentinel_kit.cache.operations` by `operation/result`. */
  operations: Record<string, number>;
  holds: { count: number; sum: number };
  resumes: { count: number; sum: number };
  failovers: number;
}

async function scrape(reader: ScrapeReader, t: number): Promise<Scrape> {
  const { resourceMetrics } = await reader.collect();
  const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  const points = (name: string) => all.find((m) => m.descriptor.name === name)?.dataPoints ?? [];
  const operations: Record<string, number> = {};
  for (const point of points('sentinel_kit.cache.operations')) {
    const key = `${point.attributes['sentinel_kit.cache.operation']}/${point.attributes['sentinel_kit.cache.result']}`;
    operations[key] = (operations[key] ?? 0) + (point.value as number);
  }
  const histogram = (name: string) => {
    const found = points(name) as DataPoint<Histogram>[];
    return {
      count: found.reduce((n, p) => n + p.value.count, 0),
      sum: found.reduce((n, p) => n + (p.value.sum ?? 0), 0),
    };
  };
  const failovers = points('sentinel_kit.failovers').reduce((n, p) => n + (p.value as number), 0);
  return {
    t,
    operations,
    holds: histogram('sentinel_kit.failover.hold.duration'),
    resumes: histogram('sentinel_kit.failover.resume.duration'),
    failovers,
  };
}

export interface FailoverRecording {
  scrapes: Scrape[];
  /** Seconds since the load started. */
  triggeredAt: number;
  /** When the load stopped; the last scrape, taken once every call settled, may come later. */
  stoppedAt: number;
}

/** Runs the load through one SENTINEL FAILOVER and returns every scrape. */
export async function recordFailover(): Promise<FailoverRecording> {
  const topo = await startTopology({ replicas: 2, sentinels: 3 });
  const sdk = registerSdk({ sampling: false });
  const cache = createCache({ location: topo.location, keyPrefix: 'chart' }, { alias: 'app' });
  const scrapes: Scrape[] = [];
  let running = true;
  try {
    await cache.set('warm', 1);
    const start = performance.now();
    const since = () => (performance.now() - start) / 1000;
    const workers = Array.from({ length: WORKERS }, async (_, w) => {
      for (let i = 0; running; i++) {
        // Half the workers write, half read what the writer beside them writes (from a replica,
        // readFrom's default): the hold stops only the writes.
        const key = `k${w - (w % 2)}:${i % 100}`;
        if (w % 2 === 0) await cache.set(key, i).catch(() => {});
        else await cache.get(key).catch(() => {});
      }
    });
    const scraper = (async () => {
      while (running) {
        scrapes.push(await scrape(sdk.reader, since()));
        await new Promise((resolve) => setTimeout(resolve, SCRAPE_MS));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, BEFORE_MS));
    const switched = topo.waitForSwitch();
    const triggeredAt = since();
    await topo.failover();
    await switched;
    await new Promise((resolve) => setTimeout(resolve, AFTER_MS));
    running = false;
    const stoppedAt = since();
    await Promise.all([...workers, scraper]);
    scrapes.push(await scrape(sdk.reader, since()));
    return { scrapes, triggeredAt, stoppedAt };
  } finally {
    running = false;
    await cache.close();
    await sdk.unregister();
    await topo.stop();
  }
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What the scrapes say about the failover: when the hold ended, how long it was, when writes resumed. */
export function summarize({ scrapes }: FailoverRecording) {
  const firstWith = (pick: (s: Scrape) => number) => scrapes.find((s) => pick(s) > 0);
  const last = scrapes.at(-1) as Scrape;
  const holdSeen = firstWith((s) => s.holds.count);
  const resumeSeen = firstWith((s) => s.resumes.count);
  const errors = Object.entries(last.operations)
    .filter(([key]) => key.endsWith('/error'))
    .reduce((n, [, v]) => n + v, 0);
  return {
    holdSeconds: last.holds.sum,
    resumeSeconds: last.resumes.sum,
    failovers: last.failovers,
    errors,
    // A histogram point is recorded when its interval ends: the scrape that first shows it bounds the end.
    holdEndedBy: holdSeen?.t,
    resumedBy: resumeSeen?.t,
  };
}

/** Calls per second between consecutive scrapes, per `operation/result`. */
function rates(scrapes: Scrape[], key: string): { t: number; perSec: number }[] {
  return scrapes.slice(1).map((s, i) => {
    const before = scrapes[i] as Scrape;
    const dt = s.t - before.t;
    return { t: s.t, perSec: ((s.operations[key] ?? 0) - (before.operations[key] ?? 0)) / dt };
  });
}

export function renderFailoverChart(recording: FailoverRecording): string {
  const { triggeredAt, stoppedAt } = recording;
  const summary = summarize(recording);
  const scrapes = recording.scrapes.filter((s) => s.t <= stoppedAt);
  const width = 920;
  const height = 380;
  const left = 70;
  const right = 20;
  const top = 60;
  const plotHeight = 240;
  const tMax = (scrapes.at(-1) as Scrape).t;
  const x = (t: number) => left + (t / tMax) * (width - left - right);
  const series = [
    { key: 'set/ok', label: 'set ok', color: '#2b8a3e' },
    { key: 'get/hit', label: 'get hit', color: '#1971c2' },
    { key: 'get/miss', label: 'get miss', color: '#74c0fc' },
    { key: 'set/error', label: 'set error', color: '#c92a2a' },
    { key: 'get/error', label: 'get error', color: '#e8590c' },
  ];
  const lines = series.map((s) => ({ ...s, points: rates(scrapes, s.key) }));
  const yMax = Math.max(1, ...lines.flatMap((l) => l.points.map((p) => p.perSec))) * 1.1;
  const y = (v: number) => top + plotHeight - (v / yMax) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<text x="10" y="24" font-size="16" font-weight="bold">A SENTINEL FAILOVER seen through sentinel-kit's metrics (scraped every ${SCRAPE_MS} ms)</text>`,
  );
  // The hold: it ends by the scrape that first shows the hold histogram, and lasted its sum.
  if (summary.holdEndedBy !== undefined) {
    const end = summary.holdEndedBy;
    const start = Math.max(0, end - summary.holdSeconds);
    parts.push(
      `<rect x="${x(start).toFixed(1)}" y="${top}" width="${(x(end) - x(start)).toFixed(1)}" height="${plotHeight}" fill="#ffe8cc"/>`,
      `<text x="${(x(start) + 4).toFixed(1)}" y="${top + 14}" font-size="12" fill="#d9480f">writes held ${Math.round(summary.holdSeconds * 1000)} ms</text>`,
    );
  }
  if (summary.resumedBy !== undefined) {
    const at = summary.resumedBy;
    parts.push(
      `<line x1="${x(at).toFixed(1)}" x2="${x(at).toFixed(1)}" y1="${top}" y2="${top + plotHeight}" stroke="#212529" stroke-dasharray="4,3"/>`,
      `<text x="${(x(at) + 4).toFixed(1)}" y="${top + 30}" font-size="12">writes resumed ${(summary.resumeSeconds * 1000).toFixed(1)} ms after +switch-master</text>`,
    );
  }
  parts.push(
    `<line x1="${x(triggeredAt).toFixed(1)}" x2="${x(triggeredAt).toFixed(1)}" y1="${top}" y2="${top + plotHeight}" stroke="#868e96"/>`,
    `<text x="${(x(triggeredAt) - 4).toFixed(1)}" y="${top + plotHeight - 6}" font-size="11" text-anchor="end" fill="#495057">SENTINEL FAILOVER</text>`,
  );
  for (const line of lines) {
    if (line.points.every((p) => p.perSec === 0)) continue;
    const path = line.points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.perSec).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="1.6"/>`);
  }
  // Axes and ticks.
  parts.push(
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotHeight}" stroke="#495057"/>`,
    `<line x1="${left}" x2="${width - right}" y1="${top + plotHeight}" y2="${top + plotHeight}" stroke="#495057"/>`,
  );
  for (let i = 0; i <= 4; i++) {
    const v = (yMax / 1.1) * (i / 4);
    parts.push(
      `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end">${Math.round(v).toLocaleString('en-US')}</text>`,
    );
  }
  for (let t = 0; t <= tMax; t += 1) {
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${top + plotHeight + 16}" font-size="11" text-anchor="middle">${t} s</text>`,
    );
  }
  parts.push(
    `<text x="14" y="${top + plotHeight / 2}" font-size="11" transform="rotate(-90 14 ${top + plotHeight / 2})" text-anchor="middle">cache calls per second</text>`,
  );
  let legendX = left;
  const legendY = top + plotHeight + 40;
  for (const line of lines) {
    parts.push(
      `<rect x="${legendX}" y="${legendY - 9}" width="14" height="4" fill="${line.color}"/>`,
      `<text x="${legendX + 18}" y="${legendY}" font-size="12">${escapeXml(line.label)}</text>`,
    );
    legendX += 110;
  }
  parts.push(
    `<text x="${left}" y="${legendY + 24}" font-size="12">sentinel_kit.failovers ${summary.failovers} · hold.duration ${(summary.holdSeconds * 1000).toFixed(0)} ms · resume.duration ${(summary.resumeSeconds * 1000).toFixed(1)} ms · calls with result=error ${summary.errors}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" role="img">
<title>A SENTINEL FAILOVER drawn from sentinel-kit's OpenTelemetry metrics</title>
<rect width="100%" height="100%" fill="#ffffff"/>
${parts.join('\n')}
</svg>
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const recording = await recordFailover();
  writeFileSync(chartPath, renderFailoverChart(recording));
  console.log(JSON.stringify(summarize(recording), null, 2));
  console.log(`wrote ${chartPath}`);
}
