import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The failover soak: the failover bench (`failover/run.ts`) run `runs` times, each in its own
 * `node --unhandled-rejections=strict` process, so an unhandled rejection anywhere — sentinel-kit,
 * a peer client, the bench — crashes that run instead of passing as a warning. Reports every run
 * that crashed or hung, and sums the table rows of the others.
 */
const here = fileURLToPath(new URL('..', import.meta.url));
/** A run that takes longer than this is a hang: killed and reported. */
const RUN_TIMEOUT_MS = 5 * 60_000;

export interface SoakRun {
  index: number;
  exitCode: number | null;
  signal: string | null;
  ms: number;
  /** The table rows the run printed: scenario, client, resume, failed, lost, duplicates, acked, switches. */
  rows: string[][];
  /** The end of its stderr, for a run that crashed. */
  stderrTail: string;
}

export interface SoakResult {
  runs: SoakRun[];
  crashed: SoakRun[];
}

function runOnce(index: number): Promise<SoakRun> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--unhandled-rejections=strict', '--import', 'tsx', 'failover/run.ts'],
    {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const rows = stdout
        .split('\n')
        .filter((line) => /^\| (kill -9|SENTINEL FAILOVER|SIGSTOP) \|/.test(line))
        .map((line) =>
          line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim()),
        );
      resolve({ index, exitCode, signal, ms: Date.now() - started, rows, stderrTail: stderr });
    });
  });
}

export async function runSoak(runs: number, onRun: (run: SoakRun) => void = () => {}): Promise<SoakResult> {
  const all: SoakRun[] = [];
  for (let i = 1; i <= runs; i++) {
    const run = await runOnce(i);
    all.push(run);
    onRun(run);
  }
  return { runs: all, crashed: all.filter((r) => r.exitCode !== 0) };
}

const percentile = (sorted: number[], p: number): string => {
  const value = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return value === undefined ? '–' : `${value} ms`;
};

/** Per scenario and client over every run that finished: resume p50/max, and the summed counts. */
export function formatSoakTable(result: SoakResult): string {
  const groups = new Map<
    string,
    { resume: number[]; none: number; failed: number; lost: number; lossy: number; dup: number; runs: number }
  >();
  for (const run of result.runs) {
    for (const [scenario, client, resume, failed, lost, duplicates] of run.rows) {
      const key = `${scenario} | ${client}`;
      const g = groups.get(key) ?? { resume: [], none: 0, failed: 0, lost: 0, lossy: 0, dup: 0, runs: 0 };
      const ms = /^(\d+) ms$/.exec(resume ?? '');
      if (ms) g.resume.push(Number(ms[1]));
      else g.none++;
      g.failed += Number(failed);
      g.lost += Number(lost);
      if (Number(lost) > 0) g.lossy++;
      g.dup += Number(duplicates);
      g.runs++;
      groups.set(key, g);
    }
  }
  const lines = [
    '| event | client | runs | resume p50 | resume max | no resume in 15 s | failed | acked lost (runs with loss) | duplicates |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, g] of groups) {
    const sorted = [...g.resume].sort((a, b) => a - b);
    lines.push(
      `| ${key} | ${g.runs} | ${percentile(sorted, 50)} | ${percentile(sorted, 100)} | ${g.none} | ${g.failed} | ${g.lost} (${g.lossy}) | ${g.dup} |`,
    );
  }
  const crashes = result.crashed.map(
    (r) =>
      `run ${r.index}: exit ${r.exitCode ?? r.signal} after ${Math.round(r.ms / 1000)} s\n${r.stderrTail}`,
  );
  return [
    `${result.runs.length} runs, ${result.crashed.length} crashed or hung.`,
    '',
    ...lines,
    ...(crashes.length > 0 ? ['', ...crashes] : []),
  ].join('\n');
}
