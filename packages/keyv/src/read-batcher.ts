import { type BatchEntry, type Cache, TickBatcher } from '@sentinel-kit/core';

/**
 * A turn's reads from this many on, gathered while no batch is on its way, go out as two `MGET`s of
 * half each: the master works on the first while this process still sends the second, and this
 * process handles the first reply while the master answers the second. With one `MGET` each side
 * sat idle while the other worked (bench/RESULTS.md, "Reads in two halves"); the write batcher
 * splits its batches the same way.
 */
const SPLIT_FROM = 16;

/**
 * Sends the `get`s of one turn of the event loop as one `MGET` (`Cache.getMany`), or two (see
 * `SPLIT_FROM`).
 *
 * Why: each command costs ioredis a fixed amount of work (command object, socket write, reply
 * parsing), and under concurrency that cost is where the time goes — node-redis 5 does about three
 * times the raw GETs per second on the same server. One `MGET` for a turn's reads pays it once, so
 * reads overtake the node-redis-based store without leaving ioredis (see bench/RESULTS.md, "Nest
 * store"). The batch goes out on `process.nextTick`, after the current turn's promise chains, so
 * it waits for nothing but the turn itself.
 *
 * Reads only. A read that overlaps a write may see it or not, as with any client, since the two
 * were in flight together; writes go through `Cache.set` (its own write batcher) and keep their
 * order. A lone read is a plain `GET`. If a batch fails (one undecodable value, a lost connection), each
 * key is read again on its own, so one bad entry fails only its own `get`.
 */
export class ReadBatcher {
  private readonly batcher: TickBatcher<string, unknown>;
  /** Batches sent whose replies have not all arrived yet. */
  private inFlight = 0;

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
    if (reads.length >= SPLIT_FROM && this.inFlight === 0) {
      const half = Math.ceil(reads.length / 2);
      this.batch(reads.slice(0, half));
      this.batch(reads.slice(half));
      return;
    }
    this.batch(reads);
  };

  private batch(reads: BatchEntry<string, unknown>[]): void {
    this.inFlight += 1;
    this.cache.getMany([...new Set(reads.map((read) => read.item))]).then(
      (found) => {
        this.inFlight -= 1;
        for (const read of reads)
          read.resolve(Object.hasOwn(found, read.item) ? found[read.item] : undefined);
      },
      () => {
        this.inFlight -= 1;
        for (const read of reads) this.single(read);
      },
    );
  }

  private single(read: BatchEntry<string, unknown>): void {
    this.cache.get(read.item).then(read.resolve, read.reject);
  }
}
