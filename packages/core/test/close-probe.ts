import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pollUntil } from '@sentinel-kit/testkit';
import type { CloseChildConfig, CloseReport } from './close-child.js';

/** What one close-child run showed: its report, and whether (and how soon after it) it exited by itself. */
export interface CloseRun {
  report: CloseReport | undefined;
  /** The exit code, or undefined when the process had to be killed. */
  exitCode: number | null | undefined;
  /** Milliseconds from the report to the exit. */
  exitedAfterMs: number | undefined;
  /** Unsettled calls the child counted as it exited. */
  pendingAtExit: number | undefined;
  output: string;
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./close-child.ts', import.meta.url));

/**
 * Runs close-child.ts with `config`. Once the child says it started, `trigger` runs (the topology
 * action: kill, pause, failover) and the child is told to go on (SIGUSR2). The child must exit by
 * itself within `exitWithinMs` of its report; otherwise it is killed and `exitCode` is undefined.
 */
export async function runCloseChild(
  config: CloseChildConfig,
  options: { trigger?: () => Promise<unknown>; exitWithinMs?: number } = {},
): Promise<CloseRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let buffered = '';
  let report: CloseReport | undefined;
  let reportedAt: number | undefined;
  let started = false;
  let pendingAtExit: number | undefined;
  let exitCode: number | null | undefined;
  let exitedAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const message = JSON.parse(line) as {
        started?: boolean;
        result?: CloseReport;
        exit?: boolean;
        pending?: number;
      };
      if (message.started) started = true;
      if (message.result) {
        report = message.result;
        reportedAt = Date.now();
      }
      if (message.exit) pendingAtExit = message.pending;
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.on('exit', (code) => {
    exitCode = code;
    exitedAt = Date.now();
  });
  try {
    await pollUntil(() => started || exitCode !== undefined, {
      description: `the ${config.scenario} child to start`,
      timeoutMs: 30_000,
    });
    if (options.trigger) await options.trigger();
    child.kill('SIGUSR2');
    await pollUntil(() => report !== undefined || exitCode !== undefined, {
      description: `the ${config.scenario} child to report`,
      timeoutMs: 40_000,
    });
    const within = options.exitWithinMs ?? 5000;
    await pollUntil(() => exitCode !== undefined, {
      description: `the ${config.scenario} child to exit by itself`,
      timeoutMs: within,
    }).catch(() => undefined);
  } finally {
    if (exitCode === undefined) child.kill('SIGKILL');
  }
  const exitedAfterMs =
    exitedAt !== undefined && reportedAt !== undefined ? exitedAt - reportedAt : undefined;
  return { report, exitCode, exitedAfterMs, pendingAtExit, output };
}
