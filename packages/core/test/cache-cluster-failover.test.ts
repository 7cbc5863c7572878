import {
  type Cluster as ClusterTopology,
  pollUntil,
  type RedisNode,
  startCluster,
} from '@sentinel-kit/testkit';
import type { Cluster } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type Caches, createCaches } from '../src/index.js';
import { keySlot } from '../src/shared/key-slot.js';
import { CacheWorkload } from './cluster-cache-workload.js';
import { writesTo } from './writes-to.js';

const PASSWORD = 'cluster-pw';

/**
 * One cluster failover test: a fresh cluster (cluster-node-timeout 1000 ms), a cluster alias built
 * by `createCaches`, and 5 writers × 100 Cache calls/s over every slot. `stop()` (in `afterEach`)
 * ends the writers, the caches and the cluster, also when a test failed half-way.
 */
class Scenario {
  topo: ClusterTopology | undefined;
  caches: Caches | undefined;
  workload: CacheWorkload | undefined;

  async start(): Promise<{ topo: ClusterTopology; workload: CacheWorkload; caches: Caches }> {
    const topo = await startCluster({
      masters: 3,
      replicasPerMaster: 1,
      password: PASSWORD,
      nodeTimeoutMs: 1000,
    });
    this.topo = topo;
    const caches = createCaches({
      default: { location: topo.location, keyPrefix: 'fo', options: { password: PASSWORD, logger: {} } },
    });
    this.caches = caches;
    const workload = new CacheWorkload(caches.default, `w${Date.now()}`);
    this.workload = workload;
    await workload.start();
    await pollUntil(() => workload.acked.length >= 300, { description: 'the writers to be under way' });
    return { topo, workload, caches };
  }

  async stop(): Promise<void> {
    await this.workload?.stop();
    await this.caches?.close();
    await this.topo?.stop();
    this.workload = undefined;
    this.caches = undefined;
    this.topo = undefined;
  }
}

/** Acknowledged writes to shard `i` after `at`: the first one's delay after `at`, in ms. */
function resumedAfter(
  topo: ClusterTopology,
  workload: CacheWorkload,
  i: number,
  at: number,
): number | undefined {
  const first = workload.acked.find((w) => w.ackedAt >= at && topo.shardOf(keySlot(`fo:1:${w.key}`)) === i);
  return first === undefined ? undefined : first.ackedAt - at;
}

/** Waits until `node` says it is a replica, then lets the writers run another 300 acknowledged writes. */
async function afterReturnOf(topo: ClusterTopology, workload: CacheWorkload, node: RedisNode): Promise<void> {
  await pollUntil(async () => String(((await topo.client(node).call('ROLE')) as unknown[])[0]) === 'slave', {
    description: `the old master (port ${node.port}) to rejoin as a replica`,
    timeoutMs: 20_000,
  });
  const at = Date.now();
  await pollUntil(() => workload.ackedSince(at) >= 300, {
    description: 'writes after the old master returned',
  });
}

/** Resolves once `cluster`'s slot map no longer names `port` as the master of `slot`. */
function slotMovedAway(cluster: Cluster, slot: number, port: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const master = cluster.slots[slot]?.[0];
      if (master === undefined || master.endsWith(`:${port}`)) return;
      cluster.off('refresh', check);
      resolve();
    };
    cluster.on('refresh', check);
  });
}

describe('Cache on a cluster alias through failovers, 5 writers × 100 calls/s over every slot', () => {
  const scenario = new Scenario();
  afterEach(() => scenario.stop());

  it('CLUSTER FAILOVER: no call fails, no acknowledged write is lost, no increment lost or doubled', async () => {
    const { topo, workload } = await scenario.start();
    const promotion = await topo.failover(1);
    await pollUntil(() => resumedAfter(topo, workload, 1, promotion.at), {
      description: 'writes to the moved slots to resume',
    });
    await afterReturnOf(topo, workload, promotion.from as RedisNode);
    await workload.stop();
    expect(workload.failures).toEqual([]);
    expect(await workload.lost(topo.clusterClient())).toEqual([]);
    expect(await workload.counterDrift()).toEqual([0, 0, 0, 0, 0]);
  });

  it('kill -9 of a master: calls to its slots are held, not failed, and none reaches it once it is back', async () => {
    const { topo, workload } = await scenario.start();
    const killed = await topo.killMaster(0);
    const promotion = await topo.waitForMaster(0, { not: killed });
    await pollUntil(() => resumedAfter(topo, workload, 0, promotion.at), {
      description: 'writes to the slots of master 0 to resume',
    });
    const restarted = Date.now();
    await killed.start();
    await afterReturnOf(topo, workload, killed);
    await workload.stop();
    expect(workload.failures).toEqual([]);
    // Writes acknowledged by the dead master and not yet replicated may be gone (asynchronous
    // replication); every write acknowledged once it was back must be on the new master.
    const lost = await workload.lost(topo.clusterClient());
    const since = new Set(workload.acked.filter((w) => w.ackedAt >= restarted).map((w) => w.key));
    expect(lost.filter((key) => since.has(key))).toEqual([]);
  });

  it('SIGSTOP of a master woken as the client moves its slots: calls held, not failed; none acknowledged lost, none written to it once back', async () => {
    const { topo, workload, caches } = await scenario.start();
    const writer = caches.default.client() as Cluster;
    const frozen = await topo.master(2);
    const slot = topo.slotRange(2)[0];
    // The harshest moment to wake: the connector has just taken the slots off the frozen node, and
    // its socket still holds the writes sent while it was frozen, which it will answer at once as
    // the master it believes it still is.
    const moved = slotMovedAway(writer, slot, frozen.port);
    await topo.pauseMaster(2);
    await moved;
    topo.resumeMaster(2);
    const writes = writesTo(writer, frozen.port);
    await topo.waitForMaster(2, { not: frozen });
    await afterReturnOf(topo, workload, frozen);
    await workload.stop();
    expect(workload.failures).toEqual([]);
    expect(await workload.lost(topo.clusterClient())).toEqual([]);
    expect(await workload.counterDrift()).toEqual([0, 0, 0, 0, 0]);
    expect(writes.sent).toBe(0);
  });
});
