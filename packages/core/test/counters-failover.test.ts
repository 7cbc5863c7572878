import { type Cache, createCache } from '@sentinel-kit/core';
import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { CounterWriters } from './counter-writers.js';
import { type FailoverKind, failOver } from './failover-rounds.js';

const PASSWORD = 'counters-pw';
/** Failovers of each kind per test; raise it to soak (COUNTER_FAILOVERS=10). */
const ROUNDS = Number(process.env.COUNTER_FAILOVERS ?? 2);
const WRITERS = 16;

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

describe('counters through failovers: no increment applied twice', () => {
  it.each<FailoverKind>(['kill -9', 'SENTINEL FAILOVER', 'SIGSTOP'])(
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
      for (let round = 0; round < ROUNDS; round++) await failOver(t, kind, () => w.acked);
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
