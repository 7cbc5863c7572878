import type { Cache } from '@sentinel-kit/core';

interface Read {
  key: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Sends the `get`s of one turn of the event loop as one `MGET` (`Cache.getMany`).
 *
 * Why: each command costs ioredis a fixed amount of work (command object, socket write, reply
 * parsing), and under concurrency that cost is where the time goes — node-redis 5 does about three
 * times the raw GETs per second on the same server. One `MGET` for a turn's reads pays it once, so
 * reads overtake the node-redis-based store without leaving ioredis (see bench/RESULTS.md, "Nest
 * store"). The flush runs on `process.nextTick`, after the current turn's promise chains, so it
 * waits for nothing but the turn itself.
 *
 * Reads only. A read that overlaps a write may see it or not, as with any client, since the two
 * were in flight together; writes go out at once and keep their order. (Pipelining a turn's sets
 * was measured too and gained nothing: the cost is per command, not per socket write.)
 * If a batch fails (one undecodable value, a lost connection), each key is read again on its own,
 * so one bad entry fails only its own `get`.
 */
export class ReadBatcher {
  private pending: Read[] = [];
  private scheduled = false;

  constructor(
    private readonly cache: Cache,
    /** Reads gathered before a batch goes out without waiting for the turn to end. */
    private readonly maxBatch: number,
  ) {}

  get(key: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      if (this.pending.length >= this.maxBatch) {
        this.flush();
      } else if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(this.onTick);
      }
    });
  }

  private readonly onTick = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private flush(): void {
    const reads = this.pending;
    this.pending = [];
    if (reads.length === 1) this.single(reads[0] as Read);
    if (reads.length <= 1) return;
    this.cache.getMany([...new Set(reads.map((read) => read.key))]).then(
      (found) => {
        for (const read of reads) read.resolve(Object.hasOwn(found, read.key) ? found[read.key] : undefined);
      },
      () => {
        for (const read of reads) this.single(read);
      },
    );
  }

  private single(read: Read): void {
    this.cache.get(read.key).then(read.resolve, read.reject);
  }
}
