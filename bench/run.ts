/**
 * `pnpm bench`: every benchmark against its peers in one go — failover matrix, cache overhead, Nest
 * store, session store, stampede, near cache — then rewrites the generated blocks of bench/RESULTS.md (machine, versions,
 * tables) and draws bench/results.svg. Prose around the blocks is kept.
 *
 *   pnpm bench                    # all of them
 *   pnpm bench -- failover cache  # some of them
 *   pnpm bench soak [N]           # the failover bench N times (default 50), unhandled rejections fatal
 *   pnpm bench fleet              # N app processes ride each failover (FLEET_APPS, default 200); only when named
 *   pnpm bench failover-cluster   # the failover matrix on a Redis Cluster; only when named
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { formatCacheTable, runCacheBench } from './cache/run.ts';
import { type RatioBar, renderChart } from './chart.ts';
import { formatClusterFailoverTable, runClusterFailoverBench } from './failover/cluster-run.ts';
import { formatFailoverTable, runFailoverBench } from './failover/run.ts';
import { formatFleetTable, runFleetBench } from './fleet/run.ts';
import { formatNearCacheTable, runNearCacheBench } from './near-cache/run.ts';
import { formatNestTable, runNestBench } from './nest/run.ts';
import { formatSessionTable, runSessionBench } from './session/run.ts';
import { formatSoakTable, runSoak } from './soak/run.ts';
import { formatStampedeTable, runStampedeBench } from './stampede/run.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const resultsPath = `${here}RESULTS.md`;
const chartPath = `${here}results.svg`;
/** The failover benchmark's cap on waiting for writes to resume, in milliseconds. */
const RESUME_CAP_MS = 15_000;

const version = (pkg: string) => {
  try {
    return JSON.parse(readFileSync(`${here}node_modules/${pkg}/package.json`, 'utf8')).version as string;
  } catch {
    return '?';
  }
};

function machine(): string {
  const redis = execFileSync(process.env.REDIS_SERVER_BIN ?? 'redis-server', ['--version'], {
    encoding: 'utf8',
  });
  const packages = [
    'ioredis',
    'redis',
    'keyv',
    'cache-manager',
    '@keyv/redis',
    '@keyv/valkey',
    'keyv-anyredis',
    'connect-redis',
  ]
    .map((p) => `${p} ${version(p)}`)
    .join(', ');
  return [
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB;`,
    `Node ${process.versions.node}; ${redis.trim().split(' ').slice(0, 3).join(' ')}.`,
    `Peers: ${packages}.`,
    `Date: ${new Date().toISOString().slice(0, 10)}. Command: \`pnpm bench\` (from the repository root).`,
  ].join('\n');
}

/** Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`. */
function replaceBlock(text: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`bench/RESULTS.md has no ${start} … ${end} block`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

async function main(): Promise<void> {
  // A peer client's stray rejection must not cost a whole `pnpm bench` run: report it. The soak
  // (`pnpm bench soak`) runs the failover bench with unhandled rejections fatal instead.
  process.on('unhandledRejection', (reason) => {
    console.warn(`warning: a promise rejected with no handler: ${String(reason)}`);
  });
  const wanted = process.argv.slice(2).filter((a) => a !== '--');
  if (wanted[0] === 'soak') return soak(Number(wanted[1] ?? 50));
  const runs = (name: string) => wanted.length === 0 || wanted.includes(name);
  let text = replaceBlock(readFileSync(resultsPath, 'utf8'), 'machine', machine());
  const ratios: RatioBar[] = [];
  let resume: Parameters<typeof renderChart>[0] = [];

  if (runs('failover')) {
    console.log('failover: kill -9, SENTINEL FAILOVER and SIGSTOP against ioredis and node-redis…');
    const result = await runFailoverBench();
    text = replaceBlock(text, 'failover', `Workload: ${result.workload}\n\n${formatFailoverTable(result)}`);
    resume = result.rows.map((r) => ({
      event: r.scenario,
      client: r.client,
      resumeMs: r.resumeMs,
      lost: r.lost,
    }));
  }
  if (runs('cache')) {
    console.log('cache: Cache.get/set against the raw ioredis client…');
    const result = await runCacheBench();
    text = replaceBlock(text, 'cache', `Workload: ${result.workload}\n\n${formatCacheTable(result)}`);
    for (const op of ['get', 'set'] as const) {
      ratios.push({ label: `Cache.${op} ÷ raw ioredis ${op}`, ratio: result.medians[op].ratio, goal: 0.95 });
    }
  }
  if (runs('near-cache')) {
    console.log(
      'near-cache: hot-key gets against raw ioredis and node-redis 5 CSC, and the staleness window…',
    );
    const result = await runNearCacheBench();
    text = replaceBlock(
      text,
      'near-cache',
      `Workload: ${result.workload}\n\n${formatNearCacheTable(result)}`,
    );
    // The ratio to raw GET (goal 10) stays in the table: on the chart's one scale it would flatten every other bar.
    ratios.push({ label: 'near-cache get ÷ node-redis 5 CSC', ratio: result.ratios.csc, goal: 1 });
  }
  if (runs('nest')) {
    console.log('nest: KeyvSentinelStore against the Keyv Redis stores…');
    const result = await runNestBench();
    text = replaceBlock(text, 'nest', `Workload: ${result.workload}\n\n${formatNestTable(result)}`);
    for (const row of result.rows.filter((r) => r.kind === 'store')) {
      const peer = row.subject.replace(/^CACHE_MANAGER → /, '');
      ratios.push({ label: `Keyv store get ÷ ${peer}`, ratio: row.ratioGet, goal: 1 });
      ratios.push({ label: `Keyv store set ÷ ${peer}`, ratio: row.ratioSet, goal: 1 });
    }
  }
  if (runs('session')) {
    console.log('session: express app on SentinelSessionStore against connect-redis on node-redis…');
    const result = await runSessionBench();
    text = replaceBlock(text, 'session', `Workload: ${result.workload}\n\n${formatSessionTable(result)}`);
    ratios.push({ label: 'session req/s ÷ connect-redis + node-redis', ratio: result.ratio, goal: 1 });
  }

  if (runs('stampede')) {
    console.log('stampede: a herd on a cold key, getOrSet with lock against cache-manager wrap…');
    const result = await runStampedeBench();
    text = replaceBlock(text, 'stampede', `Workload: ${result.workload}\n\n${formatStampedeTable(result)}`);
  }

  // Hundreds of processes: run only when asked for by name.
  if (wanted.includes('fleet')) {
    const apps = Number(process.env.FLEET_APPS ?? 200);
    console.log(
      `fleet: ${apps} app processes, three aliases each, through kill -9, SENTINEL FAILOVER and SIGSTOP…`,
    );
    const result = await runFleetBench({ apps });
    text = replaceBlock(text, 'fleet', `Workload: ${result.workload}\n\n${formatFleetTable(result)}`);
  }

  // Three fresh clusters of six nodes each: run only when asked for by name.
  if (wanted.includes('failover-cluster')) {
    console.log(
      'failover-cluster: CLUSTER FAILOVER, kill -9 and SIGSTOP of one master against ioredis Cluster and node-redis createCluster…',
    );
    const result = await runClusterFailoverBench();
    text = replaceBlock(
      text,
      'failover-cluster',
      `Workload: ${result.workload}\n\n${formatClusterFailoverTable(result)}`,
    );
    console.log(formatClusterFailoverTable(result));
  }

  writeFileSync(resultsPath, text);
  if (resume.length > 0 && ratios.length > 0)
    writeFileSync(chartPath, renderChart(resume, ratios, RESUME_CAP_MS));
  console.log(`wrote ${resultsPath}${resume.length > 0 && ratios.length > 0 ? ` and ${chartPath}` : ''}`);
}

/** `pnpm bench soak [N]`: prints each run as it ends and the summary; exits 1 if any run crashed. */
async function soak(runs: number): Promise<void> {
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`soak: expected a number of runs, got ${runs}`);
  console.log(`soak: the failover bench ${runs} times under node --unhandled-rejections=strict…`);
  const result = await runSoak(runs, (run) => {
    const sk = run.rows.filter((r) => r[1] === 'sentinel-kit').map((r) => `${r[0]} ${r[2]} lost ${r[4]}`);
    const status = run.exitCode === 0 ? 'ok' : `CRASHED (${run.exitCode ?? run.signal})`;
    console.log(
      `run ${run.index}: ${status} in ${Math.round(run.ms / 1000)} s; sentinel-kit: ${sk.join(', ')}`,
    );
    // A loss on kill -9 or SIGSTOP, whoever's, with the +switch-master count that may explain it.
    for (const [event, client, resume, , lost, , , switches] of run.rows) {
      if (event !== 'SENTINEL FAILOVER' && Number(lost) > 0) {
        console.log(
          `  ${event} ${client}: ${lost} acked lost, resumed ${resume}, ${switches} +switch-master`,
        );
      }
    }
  });
  console.log(`\n${formatSoakTable(result)}`);
  if (result.crashed.length > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
