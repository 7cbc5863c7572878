import { type BatchEntry, type Cache, TickBatcher } from '@sentinel-kit/core';

/**
 * Sends the `get`s of one turn of the event loop as one `MGET` (`Cache.getMany`).
 *
 * Why: each command costs ioredis a fixed amount of work (command object, socket write, reply
 * parsing), and under concurrency that cost is where the time goes — node-redis 5 does about three
 * times the raw GETs per second on the same server. One `MGET` for a turn's reads pays it once, so
 * reads overtake the node-redis-based store without leaving ioredis (see bench/RESULTS.md, "Nest
 * store"). The batch goes out on `process.nextTick`, after the current turn's promise chains, so
 * it waits for nothing but the turn itself.
 *
 * Reads only. A read that overlaps a write may see it or not, as with any client, since the two
 * were in flight together; writes go out at once and keep their order. (Pipelining a turn's sets
 * was measured too and gained nothing: the cost is per command, not per socket write.)
 * A lone read is a plain `GET`. If a batch fails (one undecodable value, a lost connection), each
 * key is read again on its own, so one bad entry fails only its own `get`.
 */
export class ReadBatcher {
  private readonly batcher: TickBatcher<string, unknown>;

  constructor(
    private readonly cache: Cache,
    /** Reads gathered before a batch goes out without waiting for the turn to end. */
    maxBatch: number,
  ) {
    this.batcher = new TickBatcher({ schedule: 'nextTick', maxBatch, flush: this.flush });
  }

  get(key: string): Promise<unknown> {
    return this.batcher.add(key);
  }

  private readonly flush = (reads: BatchEntry<string, unknown>[]): void => {
    if (reads.length === 1) {
      this.single(reads[0] as BatchEntry<string, unknown>);
      return;
    }
    this.cache.getMany([...new Set(reads.map((read) => read.item))]).then(
      (found) => {
        for (const read of reads)
          read.resolve(Object.hasOwn(found, read.item) ? found[read.item] : undefined);
      },
      () => {
        for (const read of reads) this.single(read);
      },
    );
  };

  private single(read: BatchEntry<string, unknown>): void {
    this.cache.get(read.item).then(read.resolve, read.reject);
  }
}
