import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTlsFiles,
  pollUntil,
  startTopology,
  type TlsFiles,
  type Topology,
} from '@sentinel-kit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorOptions, createConnector, isSentinelKitError } from '../src/index.js';
import { FailoverScenario, portOf, sentinelFailover } from './failover-scenario.js';

// Every test here runs on a TLS-only topology: each data node and sentinel listens on its
// `tls-port` alone (`port 0`) and replicates and gossips over TLS, so a plain-text socket anywhere
// in the connector (ioredis's sentinel connections, the connector's own sentinel admin and watch,
// the data clients) would fail the test instead of passing quietly.

describe('Connector on a TLS-only topology (rediss+sentinel://, options.tls.ca)', () => {
  const scenario = new FailoverScenario();
  afterEach(() => scenario.stop());

  it('writes, replica reads and SENTINEL commands all go over TLS', async () => {
    const t = await startTopology({ replicas: 1, sentinels: 3, password: 'tls-pw', tls: true });
    scenario.topo = t;
    expect(t.location).toMatch(/^rediss\+sentinel:\/\//);
    const c = createConnector({ location: t.location, password: 'tls-pw', tls: t.tls, readFrom: 'replica' });
    scenario.connector = c;
    expect(await c.master().set('tls:k', 'v')).toBe('OK');
    await pollUntil(async () => (await c.replica().get('tls:k')) === 'v', {
      description: 'the write to reach the replica client',
    });
    const master = await t.master();
    expect(await portOf(c.master())).toBe(master.port);
    expect(Number((await c.sentinels().master()).port)).toBe(master.port);
    expect(await c.sentinels().masterAddress()).toEqual({ host: master.host, port: master.port });
  });

  it('kill -9 of the master: nothing lost, nothing failed, ends on the new master', async () => {
    await scenario.survive((t) => t.killMaster(), { tls: true });
  }, 60_000);

  it('SENTINEL FAILOVER: the old master acknowledges nothing that is thrown away', async () => {
    await scenario.survive(sentinelFailover, { tls: true });
  }, 60_000);
});

/** What one connector with bad TLS settings reports: its first command's rejection, and its error events. */
async function badTls(t: Topology, options: Omit<ConnectorOptions, 'location'>) {
  const c = createConnector({ location: t.location, password: 'tls-pw', alias: 'bad-tls', ...options });
  const events: Error[] = [];
  c.on('error', (error) => events.push(error));
  const started = Date.now();
  try {
    const rejection = await c
      .master()
      .set('tls:k', 'v')
      .then(
        () => undefined,
        (error: Error) => error,
      );
    return { rejection, elapsedMs: Date.now() - started, events };
  } finally {
    await c.close();
  }
}

describe('TLS misconfiguration fails at once, not after queueTimeout', () => {
  let t: Topology;
  let strayDir: string;
  /** A CA that signed none of the topology's certificates. */
  let stray: TlsFiles;
  beforeAll(async () => {
    t = await startTopology({ replicas: 1, sentinels: 3, password: 'tls-pw', tls: true });
    strayDir = await mkdtemp(join(tmpdir(), 'sentinel-kit-stray-ca-'));
    stray = await createTlsFiles(strayDir, { caName: 'a CA nobody trusts' });
  });
  afterAll(async () => {
    await t?.stop();
    if (strayDir) await rm(strayDir, { recursive: true, force: true });
  });

  it('a CA that did not sign the sentinels’ certificates: the command fails within 2 s', async () => {
    const { rejection, elapsedMs } = await badTls(t, { tls: { ca: stray.ca } });
    expect(isSentinelKitError(rejection)).toBe(true);
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('a host name the sentinels’ certificates do not name: the command fails within 2 s', async () => {
    const { rejection, elapsedMs } = await badTls(t, { tls: { ca: t.ca, servername: 'wrong.example' } });
    expect(isSentinelKitError(rejection)).toBe(true);
    expect(elapsedMs).toBeLessThan(2000);
  });
});
