import { describe, expect, it } from 'vitest';
import { groupBySlot, keySlot, SLOTS, slotTag } from '../src/shared/key-slot.js';

describe('key slots', () => {
  it('keySlot matches Redis Cluster: CRC16 of the hash tag, else of the whole key', () => {
    // The examples of Redis's CLUSTER KEYSLOT documentation.
    expect(keySlot('somekey')).toBe(11058);
    expect(keySlot('foo{hash_tag}')).toBe(2515);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    // An empty tag does not count: the whole key is hashed.
    expect(keySlot('a{}b')).toBe(keySlot(Buffer.from('a{}b')));
    expect(keySlot('a{}b')).not.toBe(keySlot(''));
  });

  it('slotTag(slot) puts any key that carries it in that slot', () => {
    for (const slot of [0, 1, 5460, 12182, SLOTS - 1]) {
      expect(keySlot(`sentinel-kit:once:${slotTag(slot)}some-uuid`)).toBe(slot);
    }
  });

  it('groupBySlot keeps each group in order, with the indexes of its items', () => {
    const keys = ['{a}1', 'foo', '{a}2', '{a}3'];
    expect(groupBySlot(keys, (k) => k)).toEqual([
      { slot: keySlot('a'), indexes: [0, 2, 3] },
      { slot: 12182, indexes: [1] },
    ]);
  });
});
