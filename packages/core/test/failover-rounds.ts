import { type Cache, createCache } from '@sentinel-kit/core';
import { pollUntil, type RedisNode, startTopology, type Topology } from '@sentinel-kit/testkit';
import { roleOf } from './failover-scenario.js';

/** The ways a master goes away in the workload failover tests. */
export type FailoverKind = 'kill -9' | 'SENTINEL FAILOVER' | 'SIGSTOP';

/** Waits until `node` replicates the current master with its link up. */
async function rejoined(t: Topology, node: RedisNode): Promise<void> {
  const client = t.client(node);
  await pollUntil(
    async () =>
      (await roleOf(client).catch(() => '')) === 'slave' &&
      /master_link_status:up/.test(await client.info('replication')),
    { description: `${node.name} to replicate the new master`, timeoutMs: 30_000 },
  );
}

/**
 * Fires one failover of `kind`, waits for the switch, for 200 more calls answered (`answered()`
 * counts them), for the old master to be a replica again and for every replica (and the sentinels'
 * view of it) to have caught up, so the next round cannot promote a replica that lacks
 * acknowledged writes. Resolves with the distinct `+switch-master` messages seen since the trigger:
 * more than one means the sentinels replaced the new master too, and Redis itself may then have
 * dropped what the first new master acknowledged.
 */
export async function failOver(t: Topology, kind: FailoverKind, answered: () => number): Promise<number> {
  const triggeredAt = Date.now();
  const switched = t.waitForSwitch({ timeoutMs: 30_000 });
  let old: RedisNode;
  if (kind === 'kill -9') old = await t.killMaster();
  else if (kind === 'SIGSTOP') old = await t.pauseMaster();
  else {
    old = await t.master();
    await t.failover();
  }
  await switched;
  const atSwitch = answered();
  await pollUntil(() => answered() >= atSwitch + 200, {
    description: '200 calls answered after the switch',
    timeoutMs: 20_000,
  });
  if (kind === 'kill -9') await t.restartNode(old);
  if (kind === 'SIGSTOP') await t.resumeMaster();
  await rejoined(t, old);
  await t.waitForReplicasInSync();
  return new Set(
    t.sentinelEvents.filter((e) => e.type === '+switch-master' && e.at >= triggeredAt).map((e) => e.message),
  ).size;
}

/** Failovers of each kind per test: `name` (e.g. COUNTER_FAILOVERS=10) raises it to soak; default 2. */
export const roundsFrom = (name: string): number => Number(process.env[name] ?? 2);

/**
 * The topology, cache and writers of one failover-rounds test, and their teardown in the order it
 * needs — writers first: a loop left running on a closed cache would spin on its ClosedError for ever.
 */
export class RoundsFixture<W extends { stop(): Promise<unknown> }> {
  private topo: Topology | undefined;
  private cache: Cache | undefined;
  private writers: W | undefined;

  /** A 1 + 2 + 3 topology and a cache on it reading from the master, named `name` (alias and key prefix). */
  async start(name: string, password: string): Promise<{ topo: Topology; cache: Cache }> {
    const topo = await startTopology({ replicas: 2, sentinels: 3, password });
    this.topo = topo;
    const cache = createCache(
      { location: topo.location, keyPrefix: name, options: { password, readFrom: 'master' } },
      { alias: name },
    );
    this.cache = cache;
    return { topo, cache };
  }

  /** Registers the test's writers, so {@link stop} ends them before the cache. */
  use(writers: W): W {
    this.writers = writers;
    return writers;
  }

  async stop(): Promise<void> {
    const stopped = this.writers?.stop();
    this.writers = undefined;
    await this.cache?.close();
    await stopped;
    this.cache = undefined;
    await this.topo?.stop();
    this.topo = undefined;
  }
}
