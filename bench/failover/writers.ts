import type { Subject } from './subjects.js';

export interface Ack {
  /** The list it was pushed to. */
  key: string;
  value: number;
  at: number;
}

/**
 * `writers` loops, each RPUSHing the next number every `intervalMs` without waiting for the previous
 * answer (a web server's requests do not wait for each other), to `keys` in turn — several keys
 * spread the writes over a cluster's masters. Records when each write was issued, every
 * acknowledgement with its time, every rejection, and what is still unanswered.
 */
export class Writers {
  readonly acks: Ack[] = [];
  /** When each value's RPUSH was issued (ms since the epoch), by value. */
  readonly issuedAt = new Map<number, number>();
  failed = 0;
  private next = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly subject: Pick<Subject, 'rpush'>,
    readonly keys: readonly [string, ...string[]],
    private readonly writers = 5,
    private readonly intervalMs = 10,
  ) {}

  start(): void {
    for (let i = 0; i < this.writers; i++) {
      this.timers.push(setInterval(() => this.write(), this.intervalMs));
    }
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  get unanswered(): number {
    return this.pending.size;
  }

  /** Waits until every write is answered or `timeoutMs` passes; returns how many never were. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.all(this.pending), new Promise((r) => setTimeout(r, 50))]);
    }
    return this.pending.size;
  }

  private write(): void {
    const value = this.next++;
    const key = this.keys[value % this.keys.length] as string;
    this.issuedAt.set(value, Date.now());
    const write = this.subject
      .rpush(key, String(value))
      .then(
        () => {
          this.acks.push({ key, value, at: Date.now() });
        },
        () => {
          this.failed++;
        },
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}
