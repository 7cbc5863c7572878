import { type Cluster as ClusterTopology, pollUntil, startCluster } from '@sentinel-kit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterConnector,
  type ClusterFailoverEvent,
  createClusterConnector,
  NodeUnavailableError,
  NotSentinelLocationError,
  UnsupportedLocationError,
} from '../src/index.js';
import { keySlot } from '../src/shared/key-slot.js';
import { ClusterWorkload } from './cluster-workload.js';
import { writesTo } from './writes-to.js';

const PASSWORD = 'cluster-pw';

describe('ClusterConnector on a running cluster', () => {
  let cluster: ClusterTopology;
  const opened: ClusterConnector[] = [];
  beforeAll(async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD });
  });
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
    await cluster?.stop();
  });
  const connect = (options: Partial<Parameters<typeof createClusterConnector>[0]> = {}) => {
    const c = createClusterConnector({
      location: cluster.location,
      password: PASSWORD,
      alias: 'big',
      ...options,
    });
    opened.push(c);
    return c;
  };

  it('master() writes and reads keys of every slot range; sentinels() is a typed error', async () => {
    const c = connect();
    const keys = Array.from({ length: 60 }, (_, i) => `connector:${i}`);
    await Promise.all(keys.map((k) => c.master().set(k, k)));
    expect(await Promise.all(keys.map((k) => c.master().get(k)))).toEqual(keys);
    const shards = new Set(keys.map((k) => cluster.shardOf(keySlot(k))));
    expect(shards.size).toBe(3);
    expect(() => c.sentinels()).toThrow(NotSentinelLocationError);
    expect(() => c.sentinels()).toThrow(/names a Redis Cluster/);
  });

  it('replica() reads each slot from its replica under replicaPreferred, and is master() for readFrom master', async () => {
    const c = connect();
    expect(c.replica('master')).toBe(c.master());
    await c.master().set('connector:read', 'v');
    const reader = c.replica();
    expect(reader).not.toBe(c.master());
    expect(c.replica()).toBe(reader);
    await pollUntil(async () => (await reader.get('connector:read')) === 'v', {
      description: 'the replica to serve the value written on the master',
    });
    // The read went to a replica: its node runs READONLY and is not the master of the slot.
    const served = reader.nodes('slave').filter((n) => n.status === 'ready');
    expect(served.length).toBeGreaterThan(0);
  });

  it("readFrom 'replica' on a slot left without a replica: reads wait for one, then fail NodeUnavailableError", async () => {
    const writer = connect();
    const key = 'connector:lonely';
    await writer.master().set(key, 'v');
    const shard = cluster.shardOf(keySlot(key));
    const [replica] = await cluster.replicasOf(shard);
    if (replica === undefined) throw new Error(`shard ${shard} has no replica`);
    const brief = connect({ readFrom: 'replica', queueTimeout: 1500 }).replica();
    const patient = connect({ readFrom: 'replica' }).replica();
    await pollUntil(async () => (await brief.get(key)) === 'v' && (await patient.get(key)) === 'v', {
      description: 'both readers to read the key from its replica',
    });
    await replica.kill();
    const bare = (reader: typeof brief) => reader.slots[keySlot(key)]?.length === 1;
    await pollUntil(() => bare(brief) && bare(patient), {
      description: "the readers' slot maps to list no replica for the key",
    });
    let answered = false;
    const waiting = patient.get(key).finally(() => {
      answered = true;
    });
    // Awaited below; if the test fails first, its ClosedError at close() is no unhandled rejection.
    waiting.catch(() => {});
    await expect(brief.get(key)).rejects.toBeInstanceOf(NodeUnavailableError);
    expect(answered).toBe(false);
    await replica.start();
    expect(await waiting).toBe('v');
  });

  it('refuses a location that is not a cluster, with a typed error', () => {
    expect(() => createClusterConnector({ location: 'redis://127.0.0.1:1/0' })).toThrow(
      UnsupportedLocationError,
    );
  });

  it('close() fails pending commands at once and every later command with ClosedError', async () => {
    const c = connect();
    await c.master().set('connector:close', '1');
    await c.close();
    await expect(c.master().get('connector:close')).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  });
});

/** 3 masters with a replica each, failing over within about two seconds of a master's loss. */
const failoverCluster = () =>
  startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD, nodeTimeoutMs: 1000 });

describe('ClusterConnector through failovers, 5 writers × 100 writes/s over every slot', () => {
  let cluster: ClusterTopology | undefined;
  let connector: ClusterConnector | undefined;
  afterEach(async () => {
    await connector?.close();
    await cluster?.stop();
    connector = undefined;
    cluster = undefined;
  });

  /** Starts the cluster, the connector and the writers, and lets them run steadily for a moment. */
  async function running() {
    cluster = await failoverCluster();
    const c = createClusterConnector({ location: cluster.location, password: PASSWORD, alias: 'failover' });
    connector = c;
    const events: ClusterFailoverEvent[] = [];
    c.on('failover', (event) => events.push(event));
    c.on('error', () => {});
    await c.master().ping();
    const workload = new ClusterWorkload(() => c.master(), `fo:${Date.now()}`);
    workload.start();
    const current = cluster;
    await pollUntil(() => workload.acked.length >= 200, { description: 'the writers to be under way' });
    return { cluster: current, connector: c, workload, events };
  }

  /** Writes to shard `i` acknowledged after `at`: the first one's delay after `at`, in ms. */
  const resumedAfter = (topo: ClusterTopology, workload: ClusterWorkload, i: number, at: number) => {
    const first = workload.acked.find((w) => w.ackedAt >= at && topo.shardOf(keySlot(w.key)) === i);
    return first === undefined ? Number.POSITIVE_INFINITY : first.ackedAt - at;
  };

  it('CLUSTER FAILOVER: no command fails, no acknowledged write is lost, the failover event names the slots', async () => {
    const { cluster: topo, workload, events } = await running();
    const promotion = await topo.failover(1);
    await pollUntil(() => resumedAfter(topo, workload, 1, promotion.at) < Number.POSITIVE_INFINITY, {
      description: 'writes to the moved slots to resume',
    });
    await workload.stop();
    expect(workload.failures).toEqual([]);
    expect(await workload.lost(topo.clusterClient())).toEqual([]);
    await pollUntil(() => events.length > 0, { description: 'the failover event' });
    expect(events[0]).toMatchObject({ slots: [topo.slotRange(1)], to: { port: promotion.to.port } });
  });

  it('a slot map that names the master which just lost the slots is a stale view: writes are held for the next map, not sent there', async () => {
    const topo = await failoverCluster();
    cluster = topo;
    const c = createClusterConnector({ location: topo.location, password: PASSWORD, alias: 'stale' });
    connector = c;
    const events: ClusterFailoverEvent[] = [];
    c.on('failover', (event) => events.push(event));
    c.on('error', () => {});
    const writer = c.master();
    const [first, last] = topo.slotRange(1);
    const key = Array.from({ length: 200 }, (_, i) => `stale:${i}`).find(
      (k) => topo.shardOf(keySlot(k)) === 1,
    );
    if (key === undefined) throw new Error('no key of shard 1 among 200');
    await writer.set(key, 'before');
    const { from, to } = await topo.failover(1);
    if (from === undefined) throw new Error('the failover names no old master');
    // The MOVED reply of this write makes the connector refresh its map and see the move.
    await writer.set(key, 'moved');
    await pollUntil(() => events.length === 1, { description: 'the connector to see the slots move' });
    const toOld = writesTo(writer, from.port);
    const onNewMaster = () => writer.nodes('all').filter((n) => n.options.port === to.port);
    const [serving] = onNewMaster();
    // What ioredis loads from a node that has not heard of the promotion yet.
    for (let slot = first; slot <= last; slot += 1) writer.slots[slot] = [`${from.host}:${from.port}`];
    writer.emit('refresh');
    expect(await writer.set(key, 'after')).toBe('OK');
    expect(toOld.sent).toBe(0);
    // The connection to the master that really serves the slots was kept, not dropped and reopened.
    expect(onNewMaster()).toHaveLength(1);
    expect(onNewMaster()[0]).toBe(serving);
    expect(events).toHaveLength(1);
    expect(await topo.client(to).get(key)).toBe('after');
  });

  it('kill -9 of a master: writes to its slots wait for the promotion instead of failing', async () => {
    const { cluster: topo, workload } = await running();
    const killed = await topo.killMaster(0);
    const promotion = await topo.waitForMaster(0, { not: killed });
    await pollUntil(() => resumedAfter(topo, workload, 0, promotion.at) < Number.POSITIVE_INFINITY, {
      description: 'writes to the dead master slots to resume',
    });
    await workload.stop();
    expect(workload.failures).toEqual([]);
  });

  it('SIGSTOP of a master: writes wait, go to the new master, and none acknowledged is lost once the old one returns', async () => {
    const { cluster: topo, workload } = await running();
    const paused = await topo.pauseMaster(2);
    const promotion = await topo.waitForMaster(2, { not: paused });
    await pollUntil(() => resumedAfter(topo, workload, 2, promotion.at) < Number.POSITIVE_INFINITY, {
      description: 'writes to the frozen master slots to resume',
    });
    await workload.stop();
    topo.resumeMaster(2);
    await pollUntil(
      async () => String(((await topo.client(paused).call('ROLE')) as unknown[])[0]) === 'slave',
      {
        description: 'the old master to rejoin as a replica',
      },
    );
    expect(workload.failures).toEqual([]);
    expect(await workload.lost(topo.clusterClient())).toEqual([]);
  });
});
