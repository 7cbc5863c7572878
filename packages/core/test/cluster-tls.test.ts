import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Cluster as ClusterTopology,
  createTlsFiles,
  freePorts,
  pollUntil,
  startCluster,
  type TlsFiles,
} from '@sentinel-kit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClusterConnector,
  type ConnectorOptions,
  createClusterConnector,
  isSentinelKitError,
} from '../src/index.js';
import { keySlot } from '../src/shared/key-slot.js';
import { ClusterWorkload } from './cluster-workload.js';

const PASSWORD = 'cluster-tls-pw';

// Every node of these clusters listens on its `tls-port` alone (`port 0`), and the cluster bus and
// replication are TLS too: a plain-text socket anywhere in the connector (the slot refreshes, the
// node connections, the checks on rejoining old masters) would fail the test instead of passing.

describe('ClusterConnector on a TLS-only cluster (rediss+cluster://, options.tls.ca)', () => {
  let cluster: ClusterTopology | undefined;
  let connector: ClusterConnector | undefined;
  afterEach(async () => {
    await connector?.close();
    await cluster?.stop();
    connector = undefined;
    cluster = undefined;
  });

  it('writes and replica reads on every slot, and CLUSTER FAILOVER: no command fails, no acknowledged write is lost', async () => {
    const topo = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD, tls: true });
    cluster = topo;
    expect(topo.location).toMatch(/^rediss\+cluster:\/\//);
    const c = createClusterConnector({
      location: topo.location,
      password: PASSWORD,
      tls: topo.tls,
      alias: 'tls',
    });
    connector = c;
    c.on('error', () => {});
    const keys = Array.from({ length: 30 }, (_, i) => `tls:${i}`);
    expect(new Set(keys.map((k) => topo.shardOf(keySlot(k)))).size).toBe(3);
    for (const key of keys) await c.master().set(key, key);
    await pollUntil(
      async () =>
        (await Promise.all(keys.map((k) => c.replica('replica').get(k)))).every((v, i) => v === keys[i]),
      {
        description: 'every key to be read back from the replicas',
      },
    );

    const workload = new ClusterWorkload(() => c.master(), `tls:fo:${Date.now()}`);
    workload.start();
    await pollUntil(() => workload.acked.length >= 200, { description: 'the writers to be under way' });
    const promotion = await topo.failover(1);
    await pollUntil(
      () => workload.acked.some((w) => w.ackedAt >= promotion.at && topo.shardOf(keySlot(w.key)) === 1),
      { description: 'writes to the moved slots to resume on the new master' },
    );
    await workload.stop();
    expect(workload.failures).toEqual([]);
    expect(await workload.lost(topo.clusterClient())).toEqual([]);
  }, 60_000);
});

/** What one cluster connector with settings the nodes refuse reports: its first command's rejection, a second one's, and its error events. */
async function refused(location: string, options: Omit<ConnectorOptions, 'location'>) {
  const c = createClusterConnector({ location, alias: 'refused', ...options });
  const events: Error[] = [];
  c.on('error', (error) => events.push(error));
  const started = Date.now();
  const settle = (call: Promise<unknown>) =>
    call.then(
      () => undefined,
      (error: Error) => error,
    );
  try {
    const rejection = await settle(c.master().set('tls:k', 'v'));
    const elapsedMs = Date.now() - started;
    const again = Date.now();
    const next = await settle(c.master().get('tls:k'));
    return { rejection, elapsedMs, next, nextMs: Date.now() - again, events };
  } finally {
    await c.close();
  }
}

/** A TLS failure as its own error: ERR_TLS, Node's code quoted and as the cause, the "tls" option named. */
const tlsError = (nodeCode: string) =>
  expect.objectContaining({
    code: 'ERR_TLS',
    target: 'data node',
    message: expect.stringMatching(new RegExp(`${nodeCode}[\\s\\S]*"tls"`)),
    cause: expect.objectContaining({ code: nodeCode }),
  });

describe('settings the cluster refuses fail at once, as their own error, not after queueTimeout', () => {
  let topo: ClusterTopology;
  let strayDir: string;
  /** A CA that signed none of the cluster's certificates. */
  let stray: TlsFiles;
  beforeAll(async () => {
    topo = await startCluster({ masters: 1, replicasPerMaster: 1, password: PASSWORD, tls: true });
    strayDir = await mkdtemp(join(tmpdir(), 'sentinel-kit-stray-ca-'));
    stray = await createTlsFiles(strayDir, { caName: 'a CA nobody trusts' });
  });
  afterAll(async () => {
    await topo?.stop();
    if (strayDir) await rm(strayDir, { recursive: true, force: true });
  });

  /** The refusal is the one error event (ioredis's bare "Connection is closed." is not passed on), and the calls after it fail at once too. */
  const expectRefusal = (result: Awaited<ReturnType<typeof refused>>, expected: unknown) => {
    expect(result.rejection).toEqual(expected);
    // queueTimeout is 15 s: a certificate or a password does not fix itself, so waiting helps nobody.
    expect(result.elapsedMs).toBeLessThan(2000);
    expect(result.next).toEqual(expected);
    expect(result.nextMs).toBeLessThan(100);
    expect(result.events).toEqual([expected]);
  };

  it('a CA that did not sign the nodes’ certificates: ERR_TLS within 2 s', async () => {
    const result = await refused(topo.location, { password: PASSWORD, tls: { ca: stray.ca } });
    expectRefusal(result, tlsError('SELF_SIGNED_CERT_IN_CHAIN'));
  });

  it('a host name the nodes’ certificates do not name: ERR_TLS within 2 s', async () => {
    const tls = { ca: topo.tls?.ca, servername: 'wrong.example' };
    const result = await refused(topo.location, { password: PASSWORD, tls });
    expectRefusal(result, tlsError('ERR_TLS_CERT_ALTNAME_INVALID'));
  });

  it('a wrong password: ERR_AUTH naming the option within 2 s, the password in no message', async () => {
    const result = await refused(topo.location, { password: 'not-the-password', tls: topo.tls });
    expectRefusal(
      result,
      expect.objectContaining({
        code: 'ERR_AUTH',
        target: 'data node',
        message: expect.stringMatching(/WRONGPASS[\s\S]*"password"/),
      }),
    );
    for (const error of [result.rejection, ...result.events]) {
      expect(String(error?.message)).not.toContain('not-the-password');
    }
  });

  it('nodes that never answer: NodeUnavailableError at queueTimeout, for a command that reached none', async () => {
    const ports = await freePorts(2);
    const location = `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
    const result = await refused(location, { queueTimeout: 500 });
    expect(result.rejection).toMatchObject({ code: 'ERR_NODE_UNAVAILABLE', role: 'master' });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(500);
    expect(result.events.length).toBeGreaterThan(0);
    expect(result.events.filter((e) => !isSentinelKitError(e))).toEqual([]);
  });
});
