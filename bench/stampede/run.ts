import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { pollUntil, startTopology } from '../../packages/testkit/src/index.js';
import { median } from '../closed-loop.ts';
import type { HerdProcessConfig, HerdProcessMessage, StampedeSubject } from './herd-process.ts';

const CHILD = fileURLToPath(new URL('./herd-process.ts', import.meta.url));
const BENCH = fileURLToPath(new URL('..', import.meta.url));

const SUBJECTS: { subject: StampedeSubject; name: string }[] = [
  { subject: 'getOrSet-lock', name: 'sentinel-kit getOrSet, lock: true' },
  { subject: 'poll-lock', name: 'getOrSet + a Lock polled every 50 ms (the alternative to announcements)' },
  { subject: 'getOrSet', name: 'sentinel-kit getOrSet, no lock (one flight per process)' },
  { subject: 'wrap', name: 'cache-manager 7 wrap over @keyv/redis (node-redis 5)' },
];

export interface StampedeRow {
  name: string;
  /** Producer runs per herd: the database queries a cold key cost, median over the rounds (max in brackets). */
  runs: number;
  runsMax: number;
  /** Milliseconds the slowest caller waited, median over the rounds. */
  slowestMs: number;
  /** Milliseconds the median caller waited, median over the rounds. */
  medianMs: number;
  /** Redis commands the herd sent (producers' own counting excluded), median over the rounds. */
  commands: number;
  /** Those commands per waiting caller (callers − 1) per second of the herd, median over the rounds. */
  commandsPerWaiterPerS: number;
  errors: number;
}

export interface StampedeResult {
  workload: string;
  rows: StampedeRow[];
}

export interface StampedeOptions {
  processes?: number;
  callersPerProcess?: number;
  producerMs?: number;
  rounds?: number;
}

/** Commands the master ran, less what sentinels and replicas send on their own. */
async function masterCommands(master: Redis): Promise<number> {
  const stats = await master.info('commandstats');
  let total = 0;
  for (const [, name, calls] of stats.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) {
    if (!['info', 'ping', 'replconf', 'role', 'psync'].includes(name as string)) total += Number(calls);
  }
  return total;
}

interface Child {
  process: ChildProcess;
  ready: boolean;
  done?: { ms: number[]; errors: number };
}

async function herd(configs: HerdProcessConfig[]): Promise<Child[]> {
  const children = configs.map((config): Child => {
    const child: Child = {
      process: fork(CHILD, [JSON.stringify(config)], {
        cwd: BENCH,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
      ready: false,
    };
    child.process.on('message', (message: HerdProcessMessage) => {
      if ('ready' in message) child.ready = true;
      if ('done' in message) child.done = message.done;
    });
    return child;
  });
  await pollUntil(() => children.every((c) => c.ready), {
    description: 'every herd process to connect',
    timeoutMs: 30_000,
  });
  return children;
}

/**
 * A herd on a cold key: `processes` processes × `callersPerProcess` concurrent callers ask for one
 * key at once, the producer (a stand-in for the database query) takes `producerMs`. Measured per
 * subject: producer runs (the database-side load), how long the callers waited, and the Redis
 * commands the herd cost. Fresh key and fresh processes every round; subjects interleaved.
 */
export async function runStampedeBench(options: StampedeOptions = {}): Promise<StampedeResult> {
  const { processes = 4, callersPerProcess = 25, producerMs = 200, rounds = 3 } = options;
  const topo = await startTopology({ replicas: 1, sentinels: 3 });
  const master = topo.client('master');
  const node = await topo.master();
  const masterUrl = `redis://${node.host}:${node.port}`;
  const samples = new Map<StampedeSubject, Omit<StampedeRow, 'name'>[]>();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const { subject } of SUBJECTS) {
        const key = `cold-${subject}-${round}-${Date.now()}`;
        const config = {
          subject,
          location: topo.location,
          masterUrl,
          key,
          callers: callersPerProcess,
          producerMs,
        };
        const children = await herd(Array.from({ length: processes }, () => config));
        const before = await masterCommands(master);
        const started = performance.now();
        for (const child of children) child.process.send({ go: true });
        await pollUntil(() => children.every((c) => c.done !== undefined), {
          description: `the ${subject} herd to finish`,
          timeoutMs: 60_000,
        });
        const seconds = (performance.now() - started) / 1000;
        const runs = Number(await master.get(`stampede-runs:${key}`));
        // Less the producers' own INCRs, and the GET just above.
        const commands = (await masterCommands(master)) - before - runs - 1;
        const ms = children.flatMap((c) => c.done?.ms ?? []);
        const callers = processes * callersPerProcess;
        const sample = {
          runs,
          runsMax: runs,
          slowestMs: Math.max(...ms),
          medianMs: median(ms),
          commands,
          commandsPerWaiterPerS: commands / (callers - 1) / seconds,
          errors: children.reduce((sum, c) => sum + (c.done?.errors ?? 0), 0),
        };
        samples.set(subject, [...(samples.get(subject) ?? []), sample]);
        await pollUntil(
          () => children.every((c) => c.process.exitCode !== null || c.process.signalCode !== null),
          {
            description: 'the herd processes to exit',
          },
        );
      }
    }
  } finally {
    await topo.stop();
  }
  const rows = SUBJECTS.map(({ subject, name }): StampedeRow => {
    const all = samples.get(subject) ?? [];
    const of = (pick: (s: Omit<StampedeRow, 'name'>) => number) => median(all.map(pick));
    return {
      name,
      runs: of((s) => s.runs),
      runsMax: Math.max(...all.map((s) => s.runs)),
      slowestMs: of((s) => s.slowestMs),
      medianMs: of((s) => s.medianMs),
      commands: of((s) => s.commands),
      commandsPerWaiterPerS: of((s) => s.commandsPerWaiterPerS),
      errors: all.reduce((sum, s) => sum + s.errors, 0),
    };
  });
  return {
    workload:
      `${processes} processes × ${callersPerProcess} concurrent callers on one cold key, producer ${producerMs} ms ` +
      `(counts its runs in Redis); 1 master + 1 replica + 3 sentinels (redis-server 7.0, loopback), ` +
      `sentinel-kit through its sentinel connector with default options, the peer on the master's address; ` +
      `${rounds} rounds, fresh key and processes each, subjects interleaved; medians over the rounds`,
    rows,
  };
}

export function formatStampedeTable(result: StampedeResult): string {
  const lines = [
    '| subject | producer runs (max) | slowest caller | median caller | Redis commands | commands per waiter per s | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of result.rows) {
    lines.push(
      `| ${r.name} | ${r.runs} (${r.runsMax}) | ${Math.round(r.slowestMs)} ms | ${Math.round(r.medianMs)} ms | ${Math.round(r.commands)} | ${r.commandsPerWaiterPerS.toFixed(2)} | ${r.errors} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const result = await runStampedeBench();
  console.log(`Workload: ${result.workload}\n`);
  console.log(formatStampedeTable(result));
}
