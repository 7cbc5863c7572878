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

/**
 * The error a TLS failure should be: its own code (`ERR_TLS`), which side failed (`target`, as
 * AuthenticationError has it), Node's TLS error as the cause, and a message that quotes Node's code
 * and names the option to fix.
 */
const tlsError = (side: 'sentinel' | 'data node', nodeCode: string) =>
  expect.objectContaining({
    code: 'ERR_TLS',
    target: side,
    message: expect.stringMatching(
      new RegExp(`${nodeCode}[\\s\\S]*"${side === 'sentinel' ? '(tls|sentinelTls)' : 'tls'}"`),
    ),
    cause: expect.objectContaining({ code: nodeCode }),
  });

describe('TLS misconfiguration fails at once, as its own error, not after queueTimeout', () => {
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

  /** Every error event is typed (no bare "Connection is closed."), and the first is the TLS error. */
  const expectEvents = (events: Error[], side: 'sentinel' | 'data node', nodeCode: string) => {
    expect(events.filter((e) => !isSentinelKitError(e))).toEqual([]);
    expect(events[0]).toEqual(tlsError(side, nodeCode));
  };

  it('a CA that did not sign the sentinels’ certificates: ERR_TLS from the sentinels within 2 s', async () => {
    const { rejection, elapsedMs, events } = await badTls(t, { tls: { ca: stray.ca } });
    expect(rejection).toEqual(tlsError('sentinel', 'SELF_SIGNED_CERT_IN_CHAIN'));
    expect(elapsedMs).toBeLessThan(2000);
    expectEvents(events, 'sentinel', 'SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('a host name the sentinels’ certificates do not name: ERR_TLS from the sentinels within 2 s', async () => {
    const { rejection, elapsedMs, events } = await badTls(t, {
      tls: { ca: t.ca, servername: 'wrong.example' },
    });
    expect(rejection).toEqual(tlsError('sentinel', 'ERR_TLS_CERT_ALTNAME_INVALID'));
    expect(elapsedMs).toBeLessThan(2000);
    expectEvents(events, 'sentinel', 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('SENTINEL commands through connector.sentinels() fail with the same ERR_TLS', async () => {
    const c = createConnector({ location: t.location, tls: { ca: stray.ca }, alias: 'bad-tls' });
    c.on('error', () => {});
    try {
      await expect(c.sentinels().master()).rejects.toEqual(tlsError('sentinel', 'SELF_SIGNED_CERT_IN_CHAIN'));
    } finally {
      await c.close();
    }
  });

  it('sentinels trusted, data nodes not (a wrong "tls" CA): ERR_TLS from the data node within 2 s', async () => {
    const { rejection, elapsedMs, events } = await badTls(t, {
      sentinelTls: { ca: t.ca },
      tls: { ca: stray.ca },
    });
    expect(rejection).toEqual(tlsError('data node', 'SELF_SIGNED_CERT_IN_CHAIN'));
    // queueTimeout is 15 s: a certificate does not fix itself, so waiting for it helps nobody.
    expect(elapsedMs).toBeLessThan(2000);
    expectEvents(events, 'data node', 'SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('sentinels trusted, data nodes under another name: ERR_TLS from the data node within 2 s', async () => {
    const { rejection, elapsedMs, events } = await badTls(t, {
      sentinelTls: { ca: t.ca },
      tls: { ca: t.ca, servername: 'wrong.example' },
    });
    expect(rejection).toEqual(tlsError('data node', 'ERR_TLS_CERT_ALTNAME_INVALID'));
    expect(elapsedMs).toBeLessThan(2000);
    expectEvents(events, 'data node', 'ERR_TLS_CERT_ALTNAME_INVALID');
  });
});
