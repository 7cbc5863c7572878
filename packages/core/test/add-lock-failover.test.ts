import { pollUntil } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ClaimWriters } from './claim-writers.js';
import { type FailoverKind, failOver, RoundsFixture, roundsFrom } from './failover-rounds.js';

const PASSWORD = 'claims-pw';
const ROUNDS = roundsFrom('CLAIM_FAILOVERS');
const WRITERS = 8;
const LOCKS = 4;

const fixture = new RoundsFixture<ClaimWriters>();
afterEach(() => fixture.stop());

describe('add() and locks through failovers: every claim owned by the one caller told so', () => {
  it.each<FailoverKind>(['kill -9', 'SENTINEL FAILOVER'])(
    `${ROUNDS} × %s, ${WRITERS} writers racing to add the same fresh keys and take ${LOCKS} locks`,
    async (kind) => {
      const { topo: t, cache: c } = await fixture.start('claims', PASSWORD);
      const w = fixture.use(new ClaimWriters(c, WRITERS, LOCKS));
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
