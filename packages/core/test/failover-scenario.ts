import { pollUntil, type RedisNode, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { expect } from 'vitest';
import { type Connector, type ConnectorOptions, createConnector, type FailoverEvent } from '../src/index.js';
import { lostWrites, Workload } from './connector-workload.js';

const PASSWORD = 'failover-pw';

/** The port of the node `client` is connected to, as the node itself reports it. */
export const portOf = async (client: Redis): Promise<number> => {
  const info = await client.info('server');
  const port = Number(/tcp_port:(\d+)/.exec(info)?.[1]);
  if (port !== 0) return port;
  // A TLS-only node runs with `port 0` and says so in INFO; its listening port is `tls-port`.
  const [, tlsPort] = (await client.config('GET', 'tls-port')) as [string, string];
  return Number(tlsPort);
};

export const roleOf = async (client: Redis): Promise<string> => String((await client.role())[0]);

/** The names of the clients connected to `node`, as CLIENT LIST reports them. */
export const clientNames = async (t: Topology, node: RedisNode): Promise<string[]> => {
  const list = await t.client(node).client('LIST');
  return String(list)
    .split('\n')
    .map((line) => /name=(\S*)/.exec(line)?.[1] ?? '')
    .filter((name) => name !== '');
};

export interface Survived {
  t: Topology;
  c: Connector;
  old: RedisNode;
  events: FailoverEvent[];
  workload: Workload;
}

/**
 * The topology and connector of one failover test; `stop()` (in `afterEach`) ends both, also
 * when the test failed half-way.
 */
export class FailoverScenario {
  topo: Topology | undefined;
  connector: Connector | undefined;

  async stop(): Promise<void> {
    await this.connector?.close();
    this.connector = undefined;
    await this.topo?.stop();
    this.topo = undefined;
  }

  /**
   * Starts a fresh topology (TLS-only with `tls: true`, connected through `rediss+sentinel://` and
   * its CA) and a connector with a steady writer (about 400 writes/s), fires `trigger` after the
   * writer is flowing, and checks: no failed command, no acknowledged write lost, writes flowing on
   * the new master, one `failover` event, the replica client on a replica of the new master.
   */
  async survive(
    trigger: (t: Topology) => Promise<RedisNode>,
    options: { tls?: boolean } = {},
  ): Promise<Survived> {
    const t = await startTopology({
      replicas: 2,
      sentinels: 3,
      password: PASSWORD,
      tls: options.tls,
    });
    this.topo = t;
    const connectorOptions: ConnectorOptions = {
      location: t.location,
      password: PASSWORD,
      alias: 'failover',
      readFrom: 'replica',
    };
    if (t.tls !== undefined) connectorOptions.tls = t.tls;
    const c = createConnector(connectorOptions);
    this.connector = c;
    const events: FailoverEvent[] = [];
    c.on('error', () => {});
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
    return { t, c, old, events, workload };
  }
}

/** The graceful failover trigger: `SENTINEL FAILOVER`, returning the master it demotes. */
export async function sentinelFailover(t: Topology): Promise<RedisNode> {
  const old = await t.master();
  await t.failover();
  return old;
}
