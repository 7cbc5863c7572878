import { type Cache, createCache } from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ClaimWriters } from './claim-writers.js';
import { type FailoverKind, failOver } from './failover-rounds.js';

const PASSWORD = 'claims-pw';
/** Failovers of each kind per test; raise it to soak (CLAIM_FAILOVERS=10). */
const ROUNDS = Number(process.env.CLAIM_FAILOVERS ?? 2);
const WRITERS = 8;
const LOCKS = 4;

let topo: Topology | undefined;
let cache: Cache | undefined;
let writers: ClaimWriters | undefined;

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

describe('add() and locks through failovers: every claim owned by the one caller told so', () => {
  it.each<FailoverKind>(['kill -9', 'SENTINEL FAILOVER'])(
    `${ROUNDS} × %s, ${WRITERS} writers racing to add the same fresh keys and take ${LOCKS} locks`,
    async (kind) => {
      const t = await startTopology({ replicas: 2, sentinels: 3, password: PASSWORD });
      topo = t;
      const c = createCache(
        { location: t.location, keyPrefix: 'claims', options: { password: PASSWORD, readFrom: 'master' } },
        { alias: 'claims' },
      );
      cache = c;
      const w = new ClaimWriters(c, WRITERS, LOCKS);
      writers = w;
      w.start();
      await pollUntil(() => w.answered >= 500, { description: '500 calls answered' });
      for (let round = 0; round < ROUNDS; round++) await failOver(t, kind, () => w.answered);
      await w.stop();

      const tally = await w.tally();
      console.log(
        `${kind} × ${ROUNDS}: ${tally.keys} keys (${tally.contested} contested), ${tally.added} added, ` +
          `${tally.taken} taken, ${tally.unknown} outcome unknown; ${tally.locksTaken} locks taken; ` +
          `${tally.doubleClaimed.length} claimed twice, ${tally.notOwned.length} not owned, ` +
          `${tally.orphaned.length} orphaned, ${tally.doubleHeld} double-held, ${tally.notHeld} not held`,
      );
      expect(tally.failed).toEqual([]);
      expect(tally.contested).toBeGreaterThan(tally.keys / 2);
      expect(tally.locksTaken).toBeGreaterThan(0);
      expect(tally.doubleClaimed).toEqual([]);
      expect(tally.notOwned).toEqual([]);
      expect(tally.orphaned).toEqual([]);
      expect(tally.doubleHeld).toBe(0);
      expect(tally.notHeld).toBe(0);
    },
    60_000 + ROUNDS * 40_000,
  );
});
