import { describe, expect, it } from 'vitest';
import { type BatchEntry, TickBatcher } from '../src/shared/tick-batcher.js';

describe('TickBatcher', () => {
  it('hands the items added in one turn to flush as one batch, in order, and answers each caller', async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number, number>({
      schedule: 'nextTick',
      maxBatch: 100,
      flush: (batch) => {
        batches.push(batch.map((e) => e.item));
        for (const entry of batch) entry.resolve(entry.item * 10);
      },
    });
    const results = await Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)]);
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await batcher.add(4)).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('sends a full batch at once, without waiting for the turn to end', async () => {
    const sizes: number[] = [];
    const batcher = new TickBatcher<number, number>({
      schedule: 'immediate',
      maxBatch: 2,
      flush: (batch) => {
        sizes.push(batch.length);
        for (const entry of batch) entry.resolve(entry.item);
      },
    });
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('rejects every caller of a batch whose flush throws, and one caller alone when only it fails', async () => {
    let calls = 0;
    const batcher = new TickBatcher<string, string>({
      schedule: 'nextTick',
      maxBatch: 10,
      flush: (batch: BatchEntry<string, string>[]) => {
        calls += 1;
        if (calls === 1) throw new Error('socket gone');
        for (const entry of batch) {
          if (entry.item === 'bad') entry.reject(new Error('bad item'));
          else entry.resolve(entry.item);
        }
      },
    });
    const first = await Promise.allSettled([batcher.add('a'), batcher.add('b')]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const second = await Promise.allSettled([batcher.add('ok'), batcher.add('bad')]);
    expect(second.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
  });

  it('flushNow hands over what was added so far, before the turn ends', async () => {
    const batches: string[][] = [];
    const batcher = new TickBatcher<string, string>({
      schedule: 'nextTick',
      maxBatch: 10,
      flush: (batch) => {
        batches.push(batch.map((e) => e.item));
        for (const entry of batch) entry.resolve(entry.item);
      },
    });
    const first = batcher.add('a');
    batcher.flushNow();
    const second = batcher.add('b');
    expect(batches).toEqual([['a']]);
    await Promise.all([first, second]);
    expect(batches).toEqual([['a'], ['b']]);
    batcher.flushNow();
    expect(batches).toHaveLength(2);
  });
});
