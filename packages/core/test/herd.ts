import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pollUntil } from '@sentinel-kit/testkit';
import type { HerdCall, HerdChildConfig, HerdMessage } from './herd-child.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./herd-child.ts', import.meta.url));

/** One child process of a herd, as the parent follows it. */
export interface HerdProcess {
  child: ChildProcess;
  ready: boolean;
  /** Producer runs this process started, in order. */
  producing: { pid: number; run: number }[];
  /** Its callers' calls, once it reported them. */
  calls: HerdCall[] | undefined;
  exited: boolean;
  output: string;
}

/** Forks one herd-child.ts per config and resolves once every one is connected and ready. */
export async function startHerd(configs: HerdChildConfig[]): Promise<HerdProcess[]> {
  const processes = configs.map((config): HerdProcess => {
    const child = fork(CHILD, [JSON.stringify(config)], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const entry: HerdProcess = {
      child,
      ready: false,
      producing: [],
      calls: undefined,
      exited: false,
      output: '',
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      entry.output += chunk;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      entry.output += chunk;
    });
    child.on('message', (message: HerdMessage) => {
      if ('ready' in message) entry.ready = true;
      if ('producing' in message) entry.producing.push(message.producing);
      if ('done' in message) entry.calls = message.done;
    });
    child.on('exit', () => {
      entry.exited = true;
    });
    return entry;
  });
  await pollUntil(
    () => {
      const dead = processes.find((p) => p.exited && !p.ready);
      if (dead) throw new Error(`a herd process exited before it was ready:\n${dead.output}`);
      return processes.every((p) => p.ready);
    },
    { description: 'every herd process to connect', timeoutMs: 30_000 },
  );
  return processes;
}

/** Tells every process to start its callers. */
export function go(processes: HerdProcess[]): void {
  for (const p of processes) p.child.send({ go: true });
}

/** Every call of the processes that are still alive, once each has reported. */
export async function herdCalls(processes: HerdProcess[], timeoutMs = 30_000): Promise<HerdCall[]> {
  await pollUntil(
    () => processes.every((p) => p.calls !== undefined || (p.exited && p.child.signalCode !== null)),
    { description: 'every herd process to report its calls', timeoutMs },
  );
  return processes.flatMap((p) => p.calls ?? []);
}

/** Kills what is left of the herd (SIGKILL) and waits for the exits. */
export async function stopHerd(processes: HerdProcess[]): Promise<void> {
  for (const p of processes) if (!p.exited) p.child.kill('SIGKILL');
  await pollUntil(() => processes.every((p) => p.exited), { description: 'the herd to exit' });
}
