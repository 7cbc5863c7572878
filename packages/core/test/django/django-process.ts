import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Topology } from '@sentinel-kit/testkit';

/** The Debian Python that has Django 3.2, django-redis 5.2 and redis-py 4.3 (not a pyenv one). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./cache_server.py', import.meta.url));

interface Reply {
  id?: number;
  ok?: unknown;
  error?: string;
  ready?: boolean;
}

/** A running Django process with the reference CACHES; `call` runs one cache method there. */
export class DjangoProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {}

  static async start(topo: Topology): Promise<DjangoProcess> {
    const child = spawn(PYTHON, [SCRIPT], {
      env: {
        PATH: '/usr/bin:/bin',
        PYTHONNOUSERSITE: '1',
        SENTINELS: topo.sentinels.map((s) => `${s.host}:${s.port}`).join(','),
        MASTER_NAME: topo.masterName,
        REDIS_PASSWORD: topo.password ?? '',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const django = new DjangoProcess(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      django.stderr += chunk.toString();
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`Django exited with ${code}: ${django.stderr}`)));
      lines.on('line', (line) => {
        const reply = JSON.parse(line) as Reply;
        if (reply.ready) return resolve();
        const waiter = reply.id === undefined ? undefined : django.pending.get(reply.id);
        if (waiter === undefined || reply.id === undefined) return;
        django.pending.delete(reply.id);
        if (reply.error !== undefined) waiter.reject(new Error(`Django: ${reply.error}`));
        else waiter.resolve(reply.ok);
      });
    });
    await ready;
    return django;
  }

  /** Runs `caches[alias].op(*args, **kwargs)` in Django and returns its JSON result. */
  call<T = unknown>(
    alias: string,
    op: string,
    args: unknown[] = [],
    kwargs: Record<string, unknown> = {},
  ): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin?.write(`${JSON.stringify({ id, alias, op, args, kwargs })}\n`);
    });
  }

  /** Ends the process by its pid. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
