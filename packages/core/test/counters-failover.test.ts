import { type Cache, createCache } from '@sentinel-kit/core';
import { pollUntil, type RedisNode, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterWriters } from './counter-writers.js';
import { roleOf } from './failover-scenario.js';

const PASSWORD = 'counters-pw';
/** Failovers of each kind per test; raise it to soak (COUNTER_FAILOVERS=10). */
const ROUNDS = Number(process.env.COUNTER_FAILOVERS ?? 2);
const WRITERS = 16;

type Kind = 'kill -9' | 'SENTINEL FAILOVER' | 'SIGSTOP';

let topo: Topology | undefined;
let cache: Cache | undefined;
let writers: CounterWriters | undefined;

afterEach(async () => {
  // Writers first: a loop left running on a closed cache would spin on its ClosedError for ever.
  const stopped = writers?.stop();
  writers = undefined;
  await cache?.close();
  await stopped;
  cache = undefined;
  await topo?.stop();
  topo = undefined;
});

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
 * Fires one failover of `kind`, waits for the switch, for the old master to be a replica again and
 * for every replica (and the sentinels' view of it) to have caught up, so the next round cannot
 * promote a replica that lacks acknowledged increments.
 */
async function failOver(t: Topology, kind: Kind, counters: CounterWriters): Promise<void> {
  const switched = t.waitForSwitch({ timeoutMs: 30_000 });
  let old: RedisNode;
  if (kind === 'kill -9') old = await t.killMaster();
  else if (kind === 'SIGSTOP') old = await t.pauseMaster();
  else {
    old = await t.master();
    await t.failover();
  }
  await switched;
  const ackedAtSwitch = counters.acked;
  await pollUntil(() => counters.acked >= ackedAtSwitch + 200, {
    description: '200 increments acknowledged after the switch',
    timeoutMs: 20_000,
  });
  if (kind === 'kill -9') await t.restartNode(old);
  if (kind === 'SIGSTOP') await t.resumeMaster();
  await rejoined(t, old);
  await t.waitForReplicasInSync();
}

describe('counters through failovers: no increment applied twice', () => {
  it.each<Kind>(['kill -9', 'SENTINEL FAILOVER', 'SIGSTOP'])(
    `${ROUNDS} × %s, ${WRITERS} writers incrementing`,
    async (kind) => {
      const t = await startTopology({ replicas: 2, sentinels: 3, password: PASSWORD });
      topo = t;
      const c = createCache(
        { location: t.location, keyPrefix: 'counters', options: { password: PASSWORD, readFrom: 'master' } },
        { alias: 'counters' },
      );
      cache = c;
      const keys = Array.from({ length: WRITERS }, (_, i) => `counter-${i}`);
      const w = new CounterWriters(c, keys);
      writers = w;
      await w.start();
      await pollUntil(() => w.acked >= 500, { description: '500 increments acknowledged' });
      for (let round = 0; round < ROUNDS; round++) await failOver(t, kind, w);
      await w.stop();

      const tallies = await w.tally();
      const sum = (pick: (tally: (typeof tallies)[number]) => number) =>
        tallies.reduce((total, tally) => total + pick(tally), 0);
      console.log(
        `${kind} × ${ROUNDS}: ${sum((x) => x.acked)} acknowledged, ${sum((x) => x.unknown)} outcome unknown, ` +
          `${sum((x) => x.doubled)} doubled, ${sum((x) => x.lost)} lost`,
      );
      expect(tallies.flatMap((x) => x.failed)).toEqual([]);
      expect(sum((x) => x.doubled)).toBe(0);
      expect(sum((x) => x.lost)).toBe(0);
      for (const tally of tallies) {
        // Every acknowledged increment is in the final value, and of the unknown ones after the last
        // acknowledgement, each applied at most once.
        expect(tally.final).toBeGreaterThanOrEqual(tally.last);
        expect(tally.final).toBeLessThanOrEqual(tally.last + tally.trailingUnknown);
      }
    },
    60_000 + ROUNDS * 40_000,
  );
});
