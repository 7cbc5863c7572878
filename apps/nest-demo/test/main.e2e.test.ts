import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
let child: ChildProcess | undefined;
let topo: Topology | undefined;

/** Starts `src/main.ts` the way `pnpm start` does, on a free port; resolves with its URL and output so far. */
async function startMain(extraEnv: Record<string, string>) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CACHES_') && !name.startsWith('OTEL_')),
  );
  const proc = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/main.ts'], {
    cwd: appDir,
    env: { ...env, PORT: '0', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await pollUntil(() => /listening on (http:\/\/\S+)/.exec(output)?.[1], {
    description: 'nest-demo to print its URL',
    timeoutMs: 30_000,
  });
  return { proc, url, output: () => output };
}

/** SIGTERM, then the exit code: the demo must exit by itself once the app and topology closed. */
async function stopMain(proc: ChildProcess): Promise<number | null> {
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

afterEach(async () => {
  const running = child;
  if (running && running.exitCode === null && running.signalCode === null) {
    // SIGTERM first so the demo stops its own embedded topology; SIGKILL only if it hangs.
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    const guard = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(guard);
  }
  child = undefined;
  await topo?.stop();
  topo = undefined;
});

describe('nest-demo main', () => {
  it('starts an embedded topology, prints its URL and locations, serves, and exits by itself on SIGTERM', {
    timeout: 60_000,
  }, async () => {
    const { proc, url, output } = await startMain({});
    await pollUntil(() => output().includes('cache "hp"'), { description: 'the locations', timeoutMs: 5000 });
    expect(output()).toMatch(
      /cache "default": mymaster\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\/0/,
    );
    expect(output()).toMatch(/cache "hp": mymaster\/\S+\/1/);
    expect(output()).not.toContain('demo-password');
    await request(url).get('/health').expect(200);
    expect((await request(url).post('/counter/hit').expect(200)).body).toEqual({ hits: 1 });
    expect(await stopMain(proc)).toBe(0);
  });

  it('uses CACHES_* from the environment instead, when set', { timeout: 60_000 }, async () => {
    topo = await startTopology({ replicas: 1, sentinels: 3, password: 'env-secret' });
    const { proc, url, output } = await startMain({
      CACHES_DEFAULT_LOCATION: topo.location,
      CACHES_DEFAULT_KEY_PREFIX: 'dj',
      CACHES_DEFAULT_PASSWORD: 'env-secret',
      CACHES_HP_LOCATION: topo.locationFor(1),
      CACHES_HP_KEY_PREFIX: 'dj:bi',
      CACHES_HP_PASSWORD: 'env-secret',
      CACHES_HP_READ_FROM: 'master',
    });
    await request(url).post('/counter/hit').expect(200);
    expect(await topo.client('master', { db: 1 }).get('dj:bi:1:hits')).toBe('1');
    expect(output()).toContain(`cache "default": ${topo.location}`);
    expect(output()).not.toContain('env-secret');
    expect(await stopMain(proc)).toBe(0);
  });

  it('with OTEL_TRACES_EXPORTER=console, prints the spans of the cache calls and their Redis commands', {
    timeout: 60_000,
  }, async () => {
    const { proc, url, output } = await startMain({
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_METRICS_EXPORTER: 'none',
    });
    await request(url).post('/counter/hit').expect(200);
    await pollUntil(() => output().includes("name: 'cache.incr'"), {
      description: 'the cache.incr span',
      timeoutMs: 15_000,
    });
    expect(output()).toContain("name: 'cache.add'");
    expect(output()).toContain("'db.system.name': 'redis'");
    expect(output()).toContain("'sentinel_kit.cache.alias': 'hp'");
    expect(output()).not.toContain('demo-password');
    expect(await stopMain(proc)).toBe(0);
  });
});
