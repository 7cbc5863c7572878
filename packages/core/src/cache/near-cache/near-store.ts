/** One entry: the stored bytes (`null`: Redis holds no such key), and when it stops being served. */
export interface NearEntry {
  readonly value: Buffer | null;
  readonly bytes: number;
  /** `Date.now()` at which it expires; `Infinity` for never. */
  readonly expiresAt: number;
  /** The decoded value, once decoded, when it is immutable (a string, number, boolean or null). */
  decoded?: { value: unknown };
}

type Entry = NearEntry;

/**
 * The near cache's memory: stored bytes by Redis key, least recently used first (a `Map` keeps
 * insertion order, and a hit moves its entry to the end), bounded by entry count and by bytes
 * (value bytes plus key characters). An expired entry is dropped when it is looked up.
 */
export class NearStore {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The bytes held: values and keys. */
  get byteSize(): number {
    return this.bytes;
  }

  /** The entry of `key`, or `undefined` when none is held (or it expired). */
  get(key: string): NearEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== Number.POSITIVE_INFINITY && entry.expiresAt <= Date.now()) {
      this.remove(key, entry);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Holds `value` for `key` until `expiresAt`, evicting the least recently used beyond the bounds. */
  put(key: string, value: Buffer | null, expiresAt: number): void {
    const bytes = key.length + (value === null ? 0 : value.length);
    const old = this.entries.get(key);
    if (old !== undefined) this.remove(key, old);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes, expiresAt });
    this.bytes += bytes;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      this.remove(oldestKey, oldest);
    }
  }

  /** Drops `key`; true when an entry was held. */
  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    this.remove(key, entry);
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
