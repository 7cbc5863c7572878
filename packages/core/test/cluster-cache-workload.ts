import type { Cache } from '@sentinel-kit/core';
import type { Cluster } from 'ioredis';

/** One acknowledged write: the user's key, and when it was acknowledged (ms since epoch). */
export interface CacheWrite {
  key: string;
  ackedAt: number;
}

/** A failed Cache call: which call, and why. */
export interface CacheFailure {
  call: string;
  error: Error;
}

const CALLS = ['set', 'get', 'incr', 'setMany', 'getMany'] as const;

/**
 * Steady writers through a `Cache`: `writers` loops, each making one call every `1000 / perSecond`
 * ms, in turn `set` of a key no other write uses, `get` of a key acknowledged before (it must come
 * back), `incr` of the writer's own counter, `setMany` of four fresh keys (they hash over the slots)
 * and `getMany` of the last keys acknowledged (all must come back). A lost write is an acknowledged
 * key the cluster does not hold; a doubled or lost increment shows in the counters.
 */
export class CacheWorkload {
  readonly acked: CacheWrite[] = [];
  readonly failures: CacheFailure[] = [];
  /** Acknowledged increments per writer. */
  readonly increments: number[];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private sequence = 0;

  constructor(
    private readonly cache: Cache,
    private readonly prefix: string,
    private readonly writers = 5,
    private readonly perSecond = 100,
  ) {
    this.increments = new Array<number>(writers).fill(0);
  }

  counterKey(writer: number): string {
    return `${this.prefix}:counter:${writer}`;
  }

  async start(): Promise<void> {
    for (let w = 0; w < this.writers; w += 1) await this.cache.set(this.counterKey(w), 0, null);
    for (let w = 0; w < this.writers; w += 1) {
      this.timers.push(setInterval(() => this.tick(w), 1000 / this.perSecond));
    }
  }

  /** Stops calling and waits until every call made is answered. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.pending);
  }

  /** Acknowledged writes since `at` (ms since epoch). */
  ackedSince(at: number): number {
    return this.acked.filter((w) => w.ackedAt >= at).length;
  }

  /** Acknowledged keys that `reader` (a plain cluster client) does not find now. */
  async lost(reader: Cluster): Promise<string[]> {
    const missing: string[] = [];
    for (let i = 0; i < this.acked.length; i += 200) {
      const batch = this.acked.slice(i, i + 200);
      const found = await Promise.all(batch.map((w) => reader.exists(this.cache.makeKey(w.key))));
      batch.forEach((w, j) => {
        if (found[j] !== 1) missing.push(w.key);
      });
    }
    return missing;
  }

  /** Per writer, the counter's value in the cluster minus its acknowledged increments: 0 when exact. */
  async counterDrift(): Promise<number[]> {
    return Promise.all(
      this.increments.map(async (n, w) => Number(await this.cache.get(this.counterKey(w))) - n),
    );
  }

  private tick(writer: number): void {
    const n = this.sequence++;
    const call = CALLS[n % CALLS.length] as (typeof CALLS)[number];
    const done = this.run(call, writer, n).then(
      () => undefined,
      (error: Error) => {
        this.failures.push({ call, error });
      },
    );
    const tracked = done.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async run(call: (typeof CALLS)[number], writer: number, n: number): Promise<void> {
    const key = `${this.prefix}:${writer}:${n}`;
    if (call === 'set') {
      await this.cache.set(key, n, null);
      this.ack([key]);
    } else if (call === 'get') {
      const earlier = this.acked[this.acked.length - 1 - (n % 50)];
      if (earlier === undefined) return;
      if ((await this.cache.get(earlier.key)) === undefined) throw new Error(`get missed ${earlier.key}`);
    } else if (call === 'incr') {
      await this.cache.incr(this.counterKey(writer));
      this.increments[writer] = (this.increments[writer] ?? 0) + 1;
    } else if (call === 'setMany') {
      const keys = [0, 1, 2, 3].map((i) => `${key}:${i}`);
      const failed = await this.cache.setMany(Object.fromEntries(keys.map((k) => [k, k])), null);
      if (failed.length > 0) throw new Error(`setMany failed ${failed.join(', ')}`);
      this.ack(keys);
    } else {
      const keys = this.acked.slice(-8).map((w) => w.key);
      const found = await this.cache.getMany(keys);
      const missing = keys.filter((k) => !(k in found));
      if (missing.length > 0) throw new Error(`getMany missed ${missing.join(', ')}`);
    }
  }

  private ack(keys: string[]): void {
    const ackedAt = Date.now();
    for (const key of keys) this.acked.push({ key, ackedAt });
  }
}
