import { pollUntil, type RedisNode, type Topology } from '@sentinel-kit/testkit';
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
 * acknowledged writes.
 */
export async function failOver(t: Topology, kind: FailoverKind, answered: () => number): Promise<void> {
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
}
