import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePorts,
  pollUntil,
  type Standalone,
  startStandalone,
  startTopology,
  type Topology,
} from '@sentinel-kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllSentinelsUnreachableError,
  AuthenticationError,
  type Connector,
  connectorKey,
  createConnector,
  NodeUnavailableError,
  NoReplicasError,
  NotSentinelLocationError,
  UnknownMasterError,
} from '../src/index.js';
import { adminConnections } from './sentinel-connections.js';

const PASSWORD = 'data-secret-1';
const SENTINEL_PASSWORD = 'sentinel-secret-2';

let topo: Topology;
const opened: Connector[] = [];

/** A connector closed after the file's tests, whatever happens to the test that made it. */
const connect = (options: Partial<Parameters<typeof createConnector>[0]> = {}): Connector => {
  const connector = createConnector({
    location: topo.location,
    password: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
    alias: 'default',
    ...options,
  });
  opened.push(connector);
  return connector;
};

beforeAll(async () => {
  topo = await startTopology({
    replicas: 1,
    sentinels: 3,
    downAfterMs: 1000,
    password: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
  });
});

afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  await topo?.stop();
});

const roleOf = async (connector: Connector, which: 'master' | 'replica'): Promise<string> => {
  const client = which === 'master' ? connector.master() : connector.replica();
  return String((await client.role())[0]);
};

describe('createConnector on a sentinel location', () => {
  it('master() is one client for the whole life and writes reach the master', async () => {
    const c = connect();
    expect(c.master()).toBe(c.master());
    await c.master().set('connector:a', '1');
    expect(await roleOf(c, 'master')).toBe('master');
    expect(await topo.client(await topo.master()).get('connector:a')).toBe('1');
  });

  it('replica() reads from a replica once one is ready (replicaPreferred by default)', async () => {
    const c = connect();
    expect(c.readFrom).toBe('replicaPreferred');
    await pollUntil(() => c.replica().status === 'ready', { description: 'the replica client to be ready' });
    expect(await roleOf(c, 'replica')).toBe('slave');
    expect(c.replica('master')).toBe(c.master());
  });

  it('uses the db of the location', async () => {
    const c = connect({ location: topo.locationFor(3) });
    await c.master().set('connector:db', 'three');
    expect(await topo.client(await topo.master(), { db: 3 }).get('connector:db')).toBe('three');
    expect(await topo.client(await topo.master(), { db: 0 }).get('connector:db')).toBeNull();
  });

  it('sentinels() talks to the sentinels, not the data port', async () => {
    const c = connect();
    const master = await topo.master();
    expect(await c.sentinels().masterAddress()).toEqual({ host: master.host, port: master.port });
    expect((await c.sentinels().master()).name).toBe(topo.masterName);
  });

  it('an unknown master name is a typed error listing the sentinels asked', async () => {
    const c = connect({ location: topo.location.replace(topo.masterName, 'nosuchmaster') });
    const error = await c
      .master()
      .get('x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownMasterError);
    expect(error).toMatchObject({ code: 'ERR_UNKNOWN_MASTER', alias: 'default' });
    for (const s of topo.sentinels) expect((error as Error).message).toContain(`${s.host}:${s.port}`);
  });

  it('a wrong data-node password says a data node refused, names the option, hides the password', async () => {
    const c = connect({ password: 'not-the-password' });
    const events: Error[] = [];
    c.on('error', (e) => events.push(e));
    const error = await c
      .master()
      .get('x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'ERR_AUTH', target: 'data node' });
    expect((error as Error).message).toContain('"password"');
    expect((error as Error).message).not.toContain('not-the-password');
    expect(events.every((e) => !e.message.includes('not-the-password'))).toBe(true);
  });

  it('a wrong sentinel password says a sentinel refused and names sentinelPassword', async () => {
    const c = connect({ sentinelPassword: 'wrong-sentinel-pw' });
    const error = await c
      .master()
      .get('x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'ERR_AUTH', target: 'sentinel' });
    expect((error as Error).message).toContain('"sentinelPassword"');
    expect((error as Error).message).not.toContain('wrong-sentinel-pw');
  });

  it('all sentinels unreachable is one summary error with each sentinel and its cause', async () => {
    const ports = await freePorts(2);
    const c = connect({
      location: `${topo.masterName}/127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}/0`,
      sentinelTimeout: 300,
    });
    const started = Date.now();
    const error = await c
      .master()
      .get('x')
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2 * 300 + 1000);
    expect(error).toBeInstanceOf(AllSentinelsUnreachableError);
    const summary = error as AllSentinelsUnreachableError;
    expect(summary.code).toBe('ERR_ALL_SENTINELS_UNREACHABLE');
    expect(summary.attempts.map((a) => a.sentinel.port).sort()).toEqual([...ports].sort());
    expect(summary.message).toContain('ECONNREFUSED');
  });

  it('NOREPLICAS from the master is a NoReplicasError', async () => {
    const c = connect();
    const admin = topo.client(await topo.master());
    await admin.config('SET', 'min-replicas-to-write', '5');
    try {
      const error = await c
        .master()
        .set('connector:noreplicas', '1')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NoReplicasError);
      expect(error).toMatchObject({ code: 'ERR_NOREPLICAS', alias: 'default' });
    } finally {
      await admin.config('SET', 'min-replicas-to-write', '0');
    }
  });

  it('replica() after close() opens nothing and commands fail at once', async () => {
    const c = connect();
    await c.close();
    const reader = c.replica();
    expect(reader).toBe(c.master());
    await expect(reader.get('x')).rejects.toThrow(/Connection is closed/);
  });

  it('close() leaves nothing running: a process that creates and closes a connector exits by itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'connector-exit-'));
    try {
      const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
      const script = join(dir, 'child.mts');
      await writeFile(
        script,
        `import { createConnector } from ${JSON.stringify(entry)};
const c = createConnector({ location: process.argv[2], password: process.argv[3], sentinelPassword: process.argv[4] });
await c.master().set('connector:child', '1');
while (c.replica().status !== 'ready') await new Promise((r) => setImmediate(r));
await c.replica().get('connector:child');
await c.close();
console.log('closed');
`,
      );
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', script, topo.location, PASSWORD, SENTINEL_PASSWORD],
        {
          cwd: fileURLToPath(new URL('../../..', import.meta.url)),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (d) => {
        output += d;
      });
      child.stderr.on('data', (d) => {
        output += d;
      });
      let exitCode: number | null | undefined;
      child.on('exit', (code) => {
        exitCode = code;
      });
      try {
        await pollUntil(() => exitCode !== undefined, {
          description: 'the child process to exit after close()',
          timeoutMs: 15_000,
        });
      } finally {
        child.kill('SIGKILL');
      }
      expect(output).toContain('closed');
      expect(exitCode).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('connectors of one topology in one process', () => {
  const watchConnections = (index: number): Promise<number> =>
    adminConnections(topo, index, SENTINEL_PASSWORD);

  it('share one sentinel watch whatever their db or alias: at most 2 connections per sentinel', async () => {
    const before = await Promise.all(topo.sentinels.map((_, i) => watchConnections(i)));
    // A check interval no other test uses, so these three connectors start a watch of their own.
    const three = [0, 1, 2].map((db) =>
      createConnector({
        location: topo.locationFor(db),
        password: PASSWORD,
        sentinelPassword: SENTINEL_PASSWORD,
        alias: `db${db}`,
        masterCheckInterval: 777,
      }),
    );
    try {
      await Promise.all(three.map((c) => c.master().ping()));
      await pollUntil(async () => (await watchConnections(0)) === (before[0] ?? 0) + 2, {
        description: 'the watch subscribed and checked once',
      });
      for (const [i, count] of before.entries()) {
        expect((await watchConnections(i)) - count).toBeLessThanOrEqual(2);
      }
      await three[0]?.close();
      await three[1]?.close();
      expect(await watchConnections(0)).toBe((before[0] ?? 0) + 2);
    } finally {
      await Promise.all(three.map((c) => c.close()));
    }
    await pollUntil(async () => (await watchConnections(0)) === before[0], {
      description: 'the watch closed with its last connector',
    });
  });
});

describe('createConnector on a one-server location', () => {
  let server: Standalone;
  beforeAll(async () => {
    server = await startStandalone({ password: PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const signal = (name: NodeJS.Signals): void => {
    if (server.pid === undefined) throw new Error('the standalone server has no pid');
    process.kill(server.pid, name);
  };

  it('master() and replica() are the one server; sentinels() is a typed error', async () => {
    const c = createConnector({ location: server.location, password: PASSWORD, alias: 'one' });
    opened.push(c);
    await c.master().set('connector:standalone', 'v');
    expect(c.replica()).toBe(c.master());
    expect(await c.replica().get('connector:standalone')).toBe('v');
    expect(() => c.sentinels()).toThrow(NotSentinelLocationError);
  });

  it('a server that accepts the socket but never answers (SIGSTOP) is left after socketConnectTimeout', async () => {
    signal('SIGSTOP');
    try {
      const c = createConnector({
        location: server.location,
        password: PASSWORD,
        alias: 'paused',
        socketConnectTimeout: 200,
        queueTimeout: 1000,
      });
      opened.push(c);
      let reconnects = 0;
      c.master().on('reconnecting', () => {
        reconnects++;
      });
      const error = await c
        .master()
        .get('connector:standalone')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NodeUnavailableError);
      expect(error).toMatchObject({ code: 'ERR_NODE_UNAVAILABLE', alias: 'paused', role: 'master' });
      expect(reconnects).toBeGreaterThanOrEqual(2);
      signal('SIGCONT');
      expect(await c.master().get('connector:standalone')).toBe('v');
    } finally {
      signal('SIGCONT');
    }
  });
});

describe('connectorKey', () => {
  const location = 'mymaster/127.0.0.1:26379,127.0.0.1:26380/0';

  it('is equal for the same topology, db and credentials, whatever the alias or read policy', () => {
    const a = connectorKey({ location, password: 'p', alias: 'a', readFrom: 'master' });
    const b = connectorKey({
      location: 'mymaster/127.0.0.1:26380,127.0.0.1:26379/0',
      password: 'p',
      alias: 'b',
    });
    expect(a).toBe(b);
  });

  it('differs by db and by credentials, and never contains a password', () => {
    const base = connectorKey({ location, password: 'secret-pw' });
    expect(connectorKey({ location: location.replace(/0$/, '1'), password: 'secret-pw' })).not.toBe(base);
    expect(connectorKey({ location, password: 'other' })).not.toBe(base);
    expect(connectorKey({ location, password: 'secret-pw', sentinelPassword: 's' })).not.toBe(base);
    expect(base).not.toContain('secret-pw');
  });
});
