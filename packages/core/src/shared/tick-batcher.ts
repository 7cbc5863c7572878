/** One caller's item inside a batch, and how to answer that caller alone. */
export interface BatchEntry<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export interface TickBatcherOptions<I, R> {
  /** Sends one batch; must answer every entry (resolve or reject), in any order. */
  flush(batch: BatchEntry<I, R>[]): void;
  /**
   * When the gathered batch goes out: `'nextTick'` right after the current turn's promise chains
   * (what reads issued together by one request need), `'immediate'` after the loop's I/O callbacks
   * (so requests arriving in one loop iteration share one batch).
   */
  schedule: 'nextTick' | 'immediate';
  /** Items gathered before a batch goes out without waiting for its turn to end. */
  maxBatch: number;
}

/**
 * Gathers the items that callers add during one turn of the event loop and hands them to `flush`
 * as one batch, in the order they were added; each caller gets its own result or error.
 *
 * Why: ioredis pays a fixed cost per command object and per socket write, and under concurrency
 * that cost is where the time goes. One command (or one pipeline write) per turn pays it once.
 */
export class TickBatcher<I, R> {
  private pending: BatchEntry<I, R>[] = [];
  private scheduled = false;
  private readonly flushBatch: (batch: BatchEntry<I, R>[]) => void;
  private readonly defer: (run: () => void) => void;
  private readonly maxBatch: number;

  constructor(options: TickBatcherOptions<I, R>) {
    this.flushBatch = options.flush;
    this.maxBatch = options.maxBatch;
    this.defer =
      options.schedule === 'nextTick' ? (run) => process.nextTick(run) : (run) => setImmediate(run);
  }

  /** Adds `item` to this turn's batch; settles with that item's own result. */
  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) {
        this.flush();
      } else if (!this.scheduled) {
        this.scheduled = true;
        this.defer(this.onTurnEnd);
      }
    });
  }

  /** Hands what was added so far to `flush` now, without waiting for the turn to end. */
  flushNow(): void {
    if (this.pending.length > 0) this.flush();
  }

  private readonly onTurnEnd = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      this.flushBatch(batch);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
