import type { Cluster } from 'ioredis';

/** One write: its key, when it was sent and when it was acknowledged (ms since epoch). */
export interface ClusterWrite {
  key: string;
  sentAt: number;
  ackedAt: number;
}

/**
 * Steady writers for cluster failover tests: `writers` loops, each sending one `SET` every
 * `1000 / perSecond` ms to a key of its own that no other write uses (`<prefix>:<writer>:<n>`), so
 * the keys hash over every slot and a lost write is a missing key. Records every acknowledgement and
 * every failure.
 */
export class ClusterWorkload {
  readonly acked: ClusterWrite[] = [];
  readonly failures: Error[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private sequence = 0;

  constructor(
    private readonly client: () => Cluster,
    private readonly prefix: string,
    private readonly writers = 5,
    private readonly perSecond = 100,
  ) {}

  start(): void {
    for (let w = 0; w < this.writers; w += 1) {
      this.timers.push(setInterval(() => this.write(w), 1000 / this.perSecond));
    }
  }

  /** Stops writing and waits until every write sent is answered. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.pending);
  }

  /** Acknowledged keys that `reader` does not find now. */
  async lost(reader: Cluster): Promise<string[]> {
    const missing: string[] = [];
    for (let i = 0; i < this.acked.length; i += 200) {
      const batch = this.acked.slice(i, i + 200);
      const found = await Promise.all(batch.map((w) => reader.exists(w.key)));
      batch.forEach((w, j) => {
        if (found[j] !== 1) missing.push(w.key);
      });
    }
    return missing;
  }

  private write(writer: number): void {
    const key = `${this.prefix}:${writer}:${this.sequence++}`;
    const sentAt = Date.now();
    const write = this.client()
      .set(key, String(sentAt))
      .then(
        () => {
          this.acked.push({ key, sentAt, ackedAt: Date.now() });
        },
        (error: Error) => {
          this.failures.push(error);
        },
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}
