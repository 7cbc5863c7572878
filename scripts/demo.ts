/**
 * The README's demo: one embedded topology (master, 2 replicas, 3 sentinels, password), both demo
 * apps on it, and the commands to watch and trigger a failover. Ctrl-C stops everything it started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePorts, pollUntil, startTopology } from '../packages/testkit/src/index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
// A throwaway password for this local topology only, shown so the printed commands work as they are.
const password = 'demo-password';

interface App {
  name: string;
  dir: string;
  port: number;
  child?: ChildProcess;
}

function start(app: App, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('pnpm', ['--silent', 'start'], {
    cwd: `${root}${app.dir}`,
    env: { ...process.env, ...env, PORT: String(app.port) },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group, so stopping it reaches the app under pnpm and tsx, and only that.
    detached: true,
  });
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`${app.name} exited (${signal ?? `code ${code}`}); stopping the demo.`);
    void shutdown(1);
  });
  return child;
}

let stopping = false;
let stopTopology: (() => Promise<void>) | undefined;
const apps: App[] = [];

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await Promise.all(
      apps.map(
        (app) =>
          new Promise<void>((resolve) => {
            const child = app.child;
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
          }),
      ),
    );
    await stopTopology?.();
  }
  process.exit(code);
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  console.log('Starting a master, 2 replicas and 3 sentinels on loopback…');
  const topology = await startTopology({ replicas: 2, sentinels: 3, password, minReplicasToWrite: 1 });
  stopTopology = () => topology.stop();
  const env = {
    CACHES_DEFAULT_LOCATION: topology.location,
    CACHES_DEFAULT_KEY_PREFIX: 'dj',
    CACHES_DEFAULT_PASSWORD: password,
    CACHES_HP_LOCATION: topology.locationFor(1),
    CACHES_HP_KEY_PREFIX: 'dj:bi',
    CACHES_HP_PASSWORD: password,
    // As the nest-demo's embedded config: the hit counter reads its own writes.
    CACHES_HP_READ_FROM: 'master',
  };
  const [nestPort, expressPort] = (await freePorts(2)) as [number, number];
  apps.push(
    { name: 'nest-demo', dir: 'apps/nest-demo', port: Number(process.env.NEST_PORT ?? nestPort) },
    { name: 'express-demo', dir: 'apps/express-demo', port: Number(process.env.EXPRESS_PORT ?? expressPort) },
  );
  for (const app of apps) app.child = start(app, env);
  await Promise.all(
    apps.map((app) =>
      pollUntil(
        async () => {
          const response = await fetch(`http://127.0.0.1:${app.port}/`, { redirect: 'manual' });
          return response.status < 500;
        },
        { description: `${app.name} to answer on port ${app.port}`, timeoutMs: 60_000, intervalMs: 200 },
      ),
    ),
  );

  const cli = `pnpm exec sentinel-kit`;
  console.log(`
sentinel-kit demo is running.

  Nest app     http://127.0.0.1:${apps[0]?.port}/   (cached endpoint, hp counter, /sentinels, /health)
  Express app  http://127.0.0.1:${apps[1]?.port}/   (log in, count visits, press "fail over")

  location     ${topology.location}   (db 1 for "hp"; data password: ${password})

Try, in another terminal:
  ${cli} status   ${topology.location}
  ${cli} watch    ${topology.location}
  ${cli} failover ${topology.location}
  (export REDIS_PASSWORD=${password} first)

Ctrl-C stops the apps and every redis process.`);
}

main().catch(async (error: Error) => {
  console.error(`demo: ${error.message}`);
  await shutdown(1);
});
