import { pollUntil, type RedisNode, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type Connector, createConnector, type FailoverEvent } from '../src/index.js';
import { lostWrites, Workload } from './connector-workload.js';

const PASSWORD = 'failover-pw';

let topo: Topology | undefined;
let connector: Connector | undefined;

afterEach(async () => {
  await connector?.close();
  connector = undefined;
  await topo?.stop();
  topo = undefined;
});

const portOf = async (client: Redis): Promise<number> => {
  const info = await client.info('server');
  return Number(/tcp_port:(\d+)/.exec(info)?.[1]);
};

const roleOf = async (client: Redis): Promise<string> => String((await client.role())[0]);

/** The names of the clients connected to `node`, as CLIENT LIST reports them. */
const clientNames = async (t: Topology, node: RedisNode): Promise<string[]> => {
  const list = await t.client(node).client('LIST');
  return String(list)
    .split('\n')
    .map((line) => /name=(\S*)/.exec(line)?.[1] ?? '')
    .filter((name) => name !== '');
};

/**
 * Starts a fresh topology and a connector with a steady writer (about 400 writes/s), fires
 * `trigger` after the writer is flowing, and checks that the failover costs no correctness: no
 * failed command, no acknowledged write lost, writes flowing on the new master, the replica client
 * on a replica of it.
 */
async function survive(trigger: (t: Topology) => Promise<RedisNode>): Promise<{
  t: Topology;
  old: RedisNode;
  events: FailoverEvent[];
  workload: Workload;
}> {
  const t = await startTopology({ replicas: 2, sentinels: 3, downAfterMs: 1000, password: PASSWORD });
  topo = t;
  const c = createConnector({
    location: t.location,
    password: PASSWORD,
    alias: 'failover',
    readFrom: 'replica',
  });
  connector = c;
  const errors: Error[] = [];
  const events: FailoverEvent[] = [];
  c.on('error', (error) => errors.push(error));
  c.on('failover', (event) => events.push(event));
  await pollUntil(() => c.master().status === 'ready' && c.replica().status === 'ready', {
    description: 'the master and replica clients to be ready',
  });

  const workload = new Workload(() => c.master(), 'failover:list');
  workload.start();
  await pollUntil(() => workload.acked.size >= 100, { description: '100 writes acknowledged' });

  const switched = t.waitForSwitch({ timeoutMs: 30_000 });
  const old = await trigger(t);
  const sw = await switched;
  await pollUntil(() => workload.ackedSince(sw.at) >= 200, {
    description: '200 writes acknowledged after the switch',
    timeoutMs: 20_000,
  });
  await workload.stop();

  expect(workload.failures).toEqual([]);
  const newMaster = await t.master();
  expect(newMaster.port).toBe(sw.port);
  expect(newMaster.port).not.toBe(old.port);
  expect(await portOf(c.master())).toBe(newMaster.port);
  expect(await lostWrites(workload, t.client(newMaster))).toEqual([]);
  expect(events).toContainEqual({
    masterName: t.masterName,
    from: { host: old.host, port: old.port },
    to: { host: newMaster.host, port: newMaster.port },
  });

  const replica = await pollUntil(
    async () => {
      const client = c.replica();
      return client.status === 'ready' && (await roleOf(client)) === 'slave' ? client : undefined;
    },
    { description: 'the replica client on a replica' },
  );
  expect(await portOf(replica)).not.toBe(newMaster.port);
  return { t, old, events, workload };
}

describe('Connector through failovers (real topology, steady writer)', () => {
  it('kill -9 of the master: nothing lost, nothing failed, ends on the new master', async () => {
    await survive((t) => t.killMaster());
  }, 60_000);

  it('SENTINEL FAILOVER: the old master acknowledges nothing that is thrown away', async () => {
    await survive(async (t) => {
      const old = await t.master();
      await t.failover();
      return old;
    });
  }, 60_000);

  it('SIGSTOP of the master: moves on the switch; the resumed old master gets no writes', async () => {
    const { t, old } = await survive((t) => t.pauseMaster());
    await t.resumeMaster();
    await pollUntil(async () => (await roleOf(t.client(old))) === 'slave', {
      description: 'the resumed old master to be demoted to a replica',
      timeoutMs: 20_000,
    });
    expect(await clientNames(t, old)).not.toContain('sentinel-kit:failover:master');
  }, 60_000);

  it('the old master restarted after a crash is never written to', async () => {
    const { t, old } = await survive((t) => t.killMaster());
    const c = connector as Connector;
    const more = new Workload(() => c.master(), 'failover:after-restart');
    more.start();
    await t.restartNode(old);
    await pollUntil(async () => (await roleOf(t.client(old))) === 'slave', {
      description: 'the restarted old master to be turned into a replica',
      timeoutMs: 30_000,
    });
    await pollUntil(() => more.acked.size >= 200, { description: '200 more writes' });
    await more.stop();
    expect(more.failures).toEqual([]);
    expect(await clientNames(t, old)).not.toContain('sentinel-kit:failover:master');
    expect(await lostWrites(more, t.client(await t.master()))).toEqual([]);
  }, 90_000);
});
