import { pollUntil } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterWriters } from './counter-writers.js';
import { type FailoverKind, failOver, RoundsFixture, roundsFrom } from './failover-rounds.js';

const PASSWORD = 'counters-pw';
const ROUNDS = roundsFrom('COUNTER_FAILOVERS');
const WRITERS = 16;

const fixture = new RoundsFixture<CounterWriters>();
afterEach(() => fixture.stop());

describe('counters through failovers: no increment applied twice', () => {
  it.each<FailoverKind>(['kill -9', 'SENTINEL FAILOVER', 'SIGSTOP'])(
    `${ROUNDS} × %s, ${WRITERS} writers incrementing`,
    async (kind) => {
      const { topo: t, cache: c } = await fixture.start('counters', PASSWORD);
      const keys = Array.from({ length: WRITERS }, (_, i) => `counter-${i}`);
      const w = fixture.use(new CounterWriters(c, keys));
      await w.start();
      await pollUntil(() => w.acked >= 500, { description: '500 increments acknowledged' });
      const switches: number[] = [];
      for (let round = 0; round < ROUNDS; round++) switches.push(await failOver(t, kind, () => w.acked));
      await w.stop();

      const tallies = await w.tally();
      const sum = (pick: (tally: (typeof tallies)[number]) => number) =>
        tallies.reduce((total, tally) => total + pick(tally), 0);
      console.log(
        `${kind} × ${ROUNDS}: ${sum((x) => x.acked)} acknowledged, ${sum((x) => x.unknown)} outcome unknown, ` +
          `${sum((x) => x.doubled)} doubled, ${sum((x) => x.lost)} lost; +switch-master per round ${switches.join(', ')}`,
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
