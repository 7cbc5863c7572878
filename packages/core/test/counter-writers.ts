import { type Cache, OutcomeUnknownError } from '@sentinel-kit/core';

/** What one counter's replies say about how its increments were applied. */
export interface CounterTally {
  key: string;
  /** Increments that returned a value. */
  acked: number;
  /** Increments that failed with `OutcomeUnknownError` (applied or not, never twice). */
  unknown: number;
  /** Increments that failed otherwise. */
  failed: Error[];
  /** Increments applied more often than the replies allow: a jump past 1 + the unknowns between. */
  doubled: number;
  /** Acknowledged increments missing later: a reply not above the one before. */
  lost: number;
  /** The counter's value as the master holds it at the end. */
  final: number;
  /** The last acknowledged value. */
  last: number;
  /** Unknown-outcome increments after the last acknowledged one. */
  trailingUnknown: number;
}

/**
 * One sequential writer per key, each `incr` awaited before the next, so every reply should be the
 * one before plus 1 — plus at most one per `OutcomeUnknownError` in between. A bigger jump is an
 * increment applied twice (a resend the script did not recognise); a reply not above the one
 * before is an acknowledged increment the new master never had.
 */
export class CounterWriters {
  private readonly replies = new Map<string, { values: number[]; unknownBefore: number[] }>();
  private readonly unknownNow = new Map<string, number>();
  private readonly failures = new Map<string, Error[]>();
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly cache: Cache,
    private readonly keys: string[],
  ) {}

  /** Every acknowledged increment so far, over all keys. */
  get acked(): number {
    let total = 0;
    for (const { values } of this.replies.values()) total += values.length;
    return total;
  }

  async start(): Promise<void> {
    for (const key of this.keys) {
      await this.cache.set(key, 0, null);
      this.replies.set(key, { values: [], unknownBefore: [] });
      this.unknownNow.set(key, 0);
      this.failures.set(key, []);
    }
    this.running = true;
    this.loops = this.keys.map((key) => this.loop(key));
  }

  /** Stops the loops; each ends once its increment in flight is answered (or fails, as on a closed cache). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Each key's tally, with its final value read from the master. */
  async tally(): Promise<CounterTally[]> {
    const tallies: CounterTally[] = [];
    for (const key of this.keys) {
      const { values, unknownBefore } = this.replies.get(key) ?? { values: [], unknownBefore: [] };
      let doubled = 0;
      let lost = 0;
      let previous = 0;
      values.forEach((value, i) => {
        const jump = value - previous;
        const allowed = 1 + (unknownBefore[i] ?? 0);
        if (jump > allowed) doubled += jump - allowed;
        if (jump <= 0) lost += 1 - jump;
        previous = value;
      });
      tallies.push({
        key,
        acked: values.length,
        unknown: unknownBefore.reduce((a, b) => a + b, 0) + (this.unknownNow.get(key) ?? 0),
        failed: this.failures.get(key) ?? [],
        doubled,
        lost,
        final: Number(await this.cache.get(key)),
        last: previous,
        trailingUnknown: this.unknownNow.get(key) ?? 0,
      });
    }
    return tallies;
  }

  private async loop(key: string): Promise<void> {
    const record = this.replies.get(key);
    if (record === undefined) return;
    while (this.running) {
      try {
        const value = await this.cache.incr(key);
        record.values.push(value);
        record.unknownBefore.push(this.unknownNow.get(key) ?? 0);
        this.unknownNow.set(key, 0);
      } catch (error) {
        if (error instanceof OutcomeUnknownError) {
          this.unknownNow.set(key, (this.unknownNow.get(key) ?? 0) + 1);
        } else {
          this.failures.get(key)?.push(error as Error);
        }
      }
    }
  }
}
