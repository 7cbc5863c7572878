import {
  type Cluster as ClusterTopology,
  pollUntil,
  type RedisNode,
  startCluster,
} from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Caches, createCaches } from '../src/index.js';
import { keySlot } from '../src/shared/key-slot.js';
import { CacheWorkload } from './cluster-cache-workload.js';

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

  async start(): Promise<{ topo: ClusterTopology; workload: CacheWorkload }> {
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
    return { topo, workload };
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

/** Reads allowed to miss while a woken master rejoins (see the SIGSTOP case). */
const MAX_STALE_READS = 20;

/** Takes master `i` down, waits for its replica's promotion and for writes to its slots to resume. */
async function takenDown(
  topo: ClusterTopology,
  workload: CacheWorkload,
  i: number,
  takeDown: (i: number) => Promise<RedisNode>,
): Promise<RedisNode> {
  const down = await takeDown(i);
  const promotion = await topo.waitForMaster(i, { not: down });
  await pollUntil(() => resumedAfter(topo, workload, i, promotion.at), {
    description: `writes to the slots of master ${i} to resume`,
  });
  return down;
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
    const killed = await takenDown(topo, workload, 0, (i) => topo.killMaster(i));
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

  it('SIGSTOP of a master: calls are held, not failed; none acknowledged is lost, also once it wakes', async () => {
    const { topo, workload } = await scenario.start();
    const paused = await takenDown(topo, workload, 2, (i) => topo.pauseMaster(i));
    topo.resumeMaster(2);
    await afterReturnOf(topo, workload, paused);
    await workload.stop();
    const reads = new Set(['get', 'getMany']);
    expect(workload.failures.filter((f) => !reads.has(f.call))).toEqual([]);
    // A known limit (core README, "Redis Cluster"): while the woken master rejoins, a few reads of
    // writes the new master acknowledged can miss — 2 to 7 per run in CI, against 5,000 calls. More
    // than this bound means reads stay on a stale node, which is a regression.
    expect(workload.failures.filter((f) => reads.has(f.call)).length).toBeLessThanOrEqual(MAX_STALE_READS);
    expect(await workload.lost(topo.clusterClient())).toEqual([]);
    expect(await workload.counterDrift()).toEqual([0, 0, 0, 0, 0]);
  });
});
