import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pollUntil } from '@sentinel-kit/testkit';
import type { NearWriterConfig, NearWriterMessage } from './near-writer-child.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./near-writer-child.ts', import.meta.url));

/** A child process with a cache of its own, writing what the parent asks. */
export class NearWriter {
  private readonly waiting = new Map<string, (at: number) => void>();
  private output = '';
  private ready = false;
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output += chunk;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.output += chunk;
    });
    child.on('message', (message: NearWriterMessage) => {
      if ('ready' in message) this.ready = true;
      if ('acked' in message)
        this.waiting.get(`${message.acked.key}=${message.acked.value}`)?.(message.acked.at);
    });
    child.on('exit', () => {
      this.exited = true;
    });
  }

  static async start(config: NearWriterConfig): Promise<NearWriter> {
    const child = fork(CHILD, [JSON.stringify(config)], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const writer = new NearWriter(child);
    await pollUntil(
      () => {
        if (writer.exited)
          throw new Error(`the writer process exited before it was ready:\n${writer.output}`);
        return writer.ready;
      },
      { description: 'the writer process to connect', timeoutMs: 30_000 },
    );
    return writer;
  }

  /** Has the child set `key` to `value`; resolves with when its write was acknowledged (ms since epoch). */
  set(key: string, value: string): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.set(`${key}=${value}`, resolve);
      this.child.send({ set: { key, value } });
    });
  }

  /** Kills the child (SIGKILL) and waits for its exit. */
  async stop(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await pollUntil(() => this.exited, { description: 'the writer process to exit' });
  }
}
