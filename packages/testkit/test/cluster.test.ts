import { afterEach, describe, expect, it } from 'vitest';
import { ask, parseInfo } from '../src/ask.js';
import { type Cluster, parseClusterNodes, pollUntil, serverBinary, startCluster } from '../src/index.js';

const PASSWORD = 'cluster-pw';

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const role = async (cluster: Cluster, node: Cluster['nodes'][number]) =>
  String(((await cluster.client(node).call('ROLE')) as unknown[])[0]);

describe('startCluster', () => {
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it('starts masters with an equal share of the slots and one linked replica each, every node agreeing', async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD });
    const ports = cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
    expect(cluster.location).toBe(`redis+cluster://${ports}`);
    expect(cluster.nodes).toHaveLength(6);
    expect(cluster.slotRange(0)).toEqual([0, 5460]);
    expect(cluster.slotRange(2)).toEqual([10922, 16383]);
    expect(cluster.shardOf(5461)).toBe(1);
    for (const node of cluster.nodes) {
      const info = parseInfo(String(await cluster.client(node).call('CLUSTER', 'INFO')));
      expect(info).toMatchObject({
        cluster_state: 'ok',
        cluster_slots_assigned: '16384',
        cluster_known_nodes: '6',
      });
    }
    for (let i = 0; i < 3; i += 1) {
      expect(await cluster.master(i)).toBe(cluster.nodes[i]);
      expect(await cluster.replicasOf(i)).toEqual([cluster.nodes[3 + i]]);
      expect(await role(cluster, cluster.nodes[3 + i]!)).toBe('slave');
    }
    // The password guards every node.
    await expect(ask({ host: '127.0.0.1', port: cluster.nodes[0]!.port }, 'PING')).rejects.toThrow();
    const client = cluster.clusterClient();
    const keys = Array.from({ length: 30 }, (_, i) => `k${i}`);
    for (const key of keys) await client.set(key, key);
    expect(await Promise.all(keys.map((k) => client.get(k)))).toEqual(keys);
  });

  it('failover(i) promotes a replica of master i by CLUSTER FAILOVER and waits until every node agrees', async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1 });
    const before = await cluster.master(1);
    const promotion = await cluster.failover(1);
    expect(promotion.from).toBe(before);
    expect(promotion.to).toBe(cluster.nodes[4]);
    expect(await cluster.master(1)).toBe(cluster.nodes[4]);
    expect(await role(cluster, promotion.to)).toBe('master');
    expect(await role(cluster, before)).toBe('slave');
    const current = cluster;
    // The new master learns by gossip that the old one now replicates it.
    await pollUntil(async () => (await current.replicasOf(1))[0] === before, {
      description: 'the new master to list the old one as its replica',
    });
  });

  it('killMaster(i) SIGKILLs master i; its replica takes its slots after cluster-node-timeout', async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 1000 });
    const killed = await cluster.killMaster(0);
    expect(alive(killed.pid)).toBe(false);
    const promotion = await cluster.waitForMaster(0, { not: killed });
    expect(promotion.to).toBe(cluster.nodes[3]);
    expect(await role(cluster, promotion.to)).toBe('master');
    const view = parseClusterNodes(String(await cluster.client(cluster.nodes[1]!).call('CLUSTER', 'NODES')));
    expect(view.find((e) => e.port === killed.port)?.flags).toContain('fail');
  });

  it('pauseMaster(i) SIGSTOPs master i; after the promotion resumeMaster(i) makes it a replica of the new master', async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1 });
    const paused = await cluster.pauseMaster(2);
    expect(alive(paused.pid)).toBe(true);
    const promotion = await cluster.waitForMaster(2, { not: paused });
    expect(promotion.to).toBe(cluster.nodes[5]);
    expect(cluster.resumeMaster(2)).toBe(paused);
    const current = cluster;
    await pollUntil(async () => (await role(current, paused)) === 'slave', {
      description: 'the resumed old master to turn into a replica',
    });
    await pollUntil(async () => (await current.replicasOf(2))[0] === paused, {
      description: 'the new master to list the old one as its replica',
    });
  });

  it('tls: true — every node speaks TLS alone, its bus and replication too, with a CA made at start', async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD, tls: true });
    expect(cluster.location).toMatch(/^rediss\+cluster:\/\/127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){5}$/);
    const node = cluster.nodes[0]!;
    const target = { host: node.host, port: node.port, password: PASSWORD };
    expect(await ask({ ...target, tls: cluster.tls }, 'PING')).toBe('PONG');
    await expect(ask(target, 'PING')).rejects.toThrow();
    const client = cluster.clusterClient();
    for (const key of ['a', 'b', 'c']) await client.set(key, key);
    expect(await Promise.all(['a', 'b', 'c'].map((k) => client.get(k)))).toEqual(['a', 'b', 'c']);
    // Linked replicas over TLS: start() waits for every replica's link and for the bus to agree.
    expect(await cluster.client(cluster.nodes[3]!).info('replication')).toMatch(/master_link_status:up/);
  });

  it('stop() kills every process, paused ones included', async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1 });
    await cluster.pauseMaster(0);
    const pids = cluster.nodes.map((n) => n.pid);
    expect(pids.every(alive)).toBe(true);
    await cluster.stop();
    cluster = undefined;
    expect(pids.filter(alive)).toEqual([]);
  });

  it('runs the binary REDIS_SERVER_BIN names, in cluster mode', async () => {
    const binary = serverBinary();
    cluster = await startCluster({ masters: 1, replicasPerMaster: 0 });
    const info = await cluster.client(cluster.nodes[0]!).info('server');
    const field = binary.name === 'valkey' ? 'valkey_version' : 'redis_version';
    expect(new RegExp(`${field}:(\\S+)`).exec(info)?.[1]).toBe(binary.version);
    expect(await cluster.client(cluster.nodes[0]!).info('cluster')).toMatch(/cluster_enabled:1/);
    expect(cluster.slotRange(0)).toEqual([0, 16383]);
  });

  it('a master index outside the cluster is an error that says which exist', async () => {
    cluster = await startCluster({ masters: 1, replicasPerMaster: 0 });
    expect(() => cluster?.slotRange(3)).toThrow('There is no master 3: the cluster has masters 0 to 0');
    await expect(cluster.failover(0)).rejects.toThrow(/has no replica/);
  });
});

describe('parseClusterNodes', () => {
  it('reads ids, addresses, flags, masters, links and slot ranges, skipping migration markers', () => {
    const text = [
      'a1 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460 7000 [5461->-b2]',
      'b2 127.0.0.1:7001@17001,node-b slave a1 0 1700000000000 1 connected',
      'c3 127.0.0.1:7002@17002 master,fail - 1 1 2 disconnected',
      '',
    ].join('\n');
    expect(parseClusterNodes(text)).toEqual([
      {
        id: 'a1',
        host: '127.0.0.1',
        port: 7000,
        flags: ['myself', 'master'],
        masterId: undefined,
        linkState: 'connected',
        slots: [
          [0, 5460],
          [7000, 7000],
        ],
      },
      {
        id: 'b2',
        host: '127.0.0.1',
        port: 7001,
        flags: ['slave'],
        masterId: 'a1',
        linkState: 'connected',
        slots: [],
      },
      {
        id: 'c3',
        host: '127.0.0.1',
        port: 7002,
        flags: ['master', 'fail'],
        masterId: undefined,
        linkState: 'disconnected',
        slots: [],
      },
    ]);
  });
});
