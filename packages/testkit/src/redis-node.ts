import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PollAbort } from './poll.js';
import { track, untrack } from './process-registry.js';

/**
 * The server binary every node runs: `REDIS_SERVER_BIN` when set (a name on PATH or a path, e.g.
 * `valkey-server`), else `redis-server` on PATH. Sentinels run the same binary with `--sentinel`.
 */
export const redisServerBin = (): string => process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** Which server {@link redisServerBin} is: `redis` or `valkey`, and its version. */
export interface ServerBinary {
  bin: string;
  name: 'redis' | 'valkey';
  /** `7.0.15`, `8.0.1`: what `--version` prints after `v=`. */
  version: string;
}

/** Asks the server binary for its `--version`: "Redis server v=7.0.15 …" or "Valkey server v=8.0.1 …". */
export function serverBinary(): ServerBinary {
  const bin = redisServerBin();
  const text = execFileSync(bin, ['--version'], { encoding: 'utf8' });
  const match = /^(\w+) server v=(\S+)/i.exec(text);
  if (!match) throw new Error(`${bin} --version printed "${text.trim()}", not "Redis server v=…"`);
  return { bin, name: match[1]?.toLowerCase() === 'valkey' ? 'valkey' : 'redis', version: match[2] ?? '' };
}

/** How to install the binary a failed spawn could not find. */
const installHint = (bin: string): string =>
  /valkey/.test(bin)
    ? 'Install it with "apt-get install -y -t bookworm-backports valkey-server" (Debian 12; scripts/setup.sh --test adds the suite)'
    : 'Install it with "apt-get install -y redis-server"';

/**
 * One redis-server process (data node or sentinel) with its own directory, config file and log.
 * It can be stopped, paused and started again on the same port with the config the server itself
 * may have rewritten (sentinels and reconfigured replicas rewrite theirs).
 */
export class RedisNode {
  readonly host = '127.0.0.1';
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    /** `node-0`, `sentinel-1`, …: stable across restarts. */
    readonly name: string,
    readonly port: number,
    /** The node's working directory: config, log and data live here. */
    readonly dir: string,
    readonly kind: 'data' | 'sentinel',
  ) {}

  /** The pid of the running process, or undefined while it is stopped. */
  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  get configFile(): string {
    return join(this.dir, 'redis.conf');
  }

  get logFile(): string {
    return join(this.dir, 'redis.log');
  }

  async writeConfig(text: string): Promise<void> {
    await writeFile(this.configFile, text);
  }

  /** Spawns the process. Readiness is the caller's to poll; a failed spawn rejects here. */
  async start(): Promise<void> {
    if (this.pid !== undefined) return;
    const args = this.kind === 'sentinel' ? [this.configFile, '--sentinel'] : [this.configFile];
    const child = spawn(redisServerBin(), args, { cwd: this.dir, stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) =>
        reject(
          new Error(
            `Cannot start ${redisServerBin()} (${error.message}). ${installHint(redisServerBin())}, set REDIS_SERVER_BIN, or run the docker-compose.yml topology instead.`,
            { cause: error },
          ),
        ),
      );
    });
    const pid = child.pid as number;
    track(pid);
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        untrack(pid);
        resolve();
      }),
    );
  }

  /** Sends `signal` to the process, if it runs. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid !== undefined) process.kill(pid, signal);
  }

  /** SIGKILLs the process (SIGSTOPped or not) and waits until it has exited. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  /**
   * Throws a {@link PollAbort} when the process does not run: a readiness poll that calls it fails
   * as soon as the server exits (a port taken between `freePorts` and its bind) instead of at its
   * timeout.
   */
  assertRunning(): void {
    if (this.pid === undefined) throw new PollAbort(`${this.name} (port ${this.port}) is not running`);
  }

  /** True once the process has exited (or was never started). */
  get stopped(): boolean {
    return this.pid === undefined;
  }

  /** The last lines of the node's log, for start-up failure messages. */
  async logTail(lines = 15): Promise<string> {
    try {
      const text = await readFile(this.logFile, 'utf8');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
