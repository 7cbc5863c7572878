import type { Redis } from 'ioredis';

/**
 * A steady writer for failover tests: every tick it RPUSHes the next number to `key` through
 * `client()` (asked anew each time, like a cache would), and records which numbers were
 * acknowledged and which commands failed. Numbers make loss visible: every acknowledged number must
 * be in the final list.
 */
export class Workload {
  readonly acked = new Set<number>();
  readonly failures: Error[] = [];
  /** When (ms since epoch) each acknowledgement arrived, in order. */
  readonly ackTimes: number[] = [];
  private next = 0;
  private readonly pending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: () => Redis,
    readonly key: string,
    private readonly perTick = 2,
    private readonly tickMs = 5,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      for (let i = 0; i < this.perTick; i++) this.write();
    }, this.tickMs);
  }

  /** Stops writing and waits for every write still in flight to be answered. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.pending);
  }

  /** Acknowledgements that arrived at or after `at` (ms since epoch). */
  ackedSince(at: number): number {
    return this.ackTimes.filter((t) => t >= at).length;
  }

  private write(): void {
    const value = this.next++;
    const write = this.client()
      .rpush(this.key, String(value))
      .then(
        () => {
          this.acked.add(value);
          this.ackTimes.push(Date.now());
        },
        (error: Error) => {
          this.failures.push(error);
        },
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}

/** Acknowledged numbers missing from the list as `reader` sees it now. */
export async function lostWrites(workload: Workload, reader: Redis): Promise<number[]> {
  const stored = new Set((await reader.lrange(workload.key, 0, -1)).map(Number));
  return [...workload.acked].filter((value) => !stored.has(value));
}
