/** Redis Cluster's slot count. */
export const SLOTS = 16384;

/** The part of `key` Redis Cluster hashes: the first non-empty `{…}`, else the whole key. */
function hashed(key: string | Buffer): Buffer {
  const bytes = typeof key === 'string' ? Buffer.from(key) : key;
  const open = bytes.indexOf(0x7b);
  if (open < 0) return bytes;
  const close = bytes.indexOf(0x7d, open + 1);
  return close > open + 1 ? bytes.subarray(open + 1, close) : bytes;
}

/** The slot of `key` in a Redis Cluster: CRC16 (XMODEM) of its hashed part, mod 16384. */
export function keySlot(key: string | Buffer): number {
  let crc = 0;
  for (const byte of hashed(key)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % SLOTS;
}

let tags: string[] | undefined;

/**
 * A hash tag (`{…}`) that puts a key in `slot`: the shortest base-36 number hashing there. A key the
 * cache makes beside a user's key (a script's record) carries the tag of the user key's slot, so both
 * live on one node whatever the user key looks like. The table is built once, on first use.
 */
export function slotTag(slot: number): string {
  if (tags === undefined) {
    const table: string[] = new Array(SLOTS);
    let filled = 0;
    for (let n = 0; filled < SLOTS; n += 1) {
      const tag = n.toString(36);
      const at = keySlot(tag);
      if (table[at] === undefined) {
        table[at] = tag;
        filled += 1;
      }
    }
    tags = table;
  }
  return `{${tags[slot]}}`;
}

/** `items` grouped by the slot of `keyOf(item)`, each group keeping its items' order and indexes. */
export function groupBySlot<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
): { slot: number; indexes: number[] }[] {
  const groups = new Map<number, number[]>();
  items.forEach((item, i) => {
    const slot = keySlot(keyOf(item));
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [i]);
    else group.push(i);
  });
  return [...groups].map(([slot, indexes]) => ({ slot, indexes }));
}
