import { EventEmitter } from 'node:events';
import { type Cache, escapeGlob } from '@sentinel-kit/core';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import { KeyvSerializedValueError } from './errors.js';
import type { KeyvSentinelStoreOptions, KeyvValueFormat } from './keyv-sentinel-store.types.js';
import { ReadBatcher } from './read-batcher.js';
import { ttlToTimeout } from './ttl.js';

/** The alias of `{ caches }` without one, as in Django's `caches['default']`. */
const DEFAULT_ALIAS = 'default';
const DEFAULT_ITERATION_BATCH = 100;
const DEFAULT_MAX_READ_BATCH = 100;

/**
 * A Keyv v5 storage adapter over a sentinel-kit `Cache`: keys go through the cache's key function
 * (`dj:1:<namespace>:<key>`), writes to the current master, reads per the cache's `readFrom`, and
 * every failover is the cache's business. Usable without Nest: `new Keyv({ store })`.
 *
 * TTLs: a Keyv ttl of `0` or none means the value never expires (the cache's default timeout does
 * not apply); otherwise it is stored for exactly that many milliseconds (`PX ttl`).
 *
 * `disconnect()` leaves the connections open: they belong to the cache (or registry), which may
 * serve other stores and aliases; close that instead.
 */
export class KeyvSentinelStore extends EventEmitter implements Omit<KeyvStoreAdapter, 'setMany'> {
  /** Read by Keyv: the `redis` dialect makes it offer `keyv.iterator()`. */
  readonly opts: { dialect: 'redis'; url: string; alias: string | undefined; valueFormat: KeyvValueFormat };
  /** Set by Keyv to its namespace; keys arrive already prefixed with it. */
  namespace?: string | undefined;
  readonly cache: Cache;
  readonly valueFormat: KeyvValueFormat;
  private readonly alias: string | undefined;
  private readonly batchSize: number;
  private readonly reads: ReadBatcher | undefined;

  constructor(options: KeyvSentinelStoreOptions) {
    super();
    if ('cache' in options) {
      this.cache = options.cache;
      this.alias = undefined;
    } else {
      this.alias = options.alias ?? DEFAULT_ALIAS;
      this.cache = options.caches.get(this.alias);
    }
    this.valueFormat = options.valueFormat ?? 'keyv';
    this.batchSize = options.iterationBatchSize ?? DEFAULT_ITERATION_BATCH;
    // A near cache answers hits from memory at once; a turn's batch would only make them wait.
    this.reads =
      options.batchReads === false || this.cache.nearCache !== undefined
        ? undefined
        : new ReadBatcher(this.cache, options.maxReadBatch ?? DEFAULT_MAX_READ_BATCH);
    this.opts = { dialect: 'redis', url: 'redis+sentinel', alias: this.alias, valueFormat: this.valueFormat };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const stored = this.reads ? await this.reads.get(key) : await this.cache.get<unknown>(key);
    return stored === undefined ? undefined : this.toKeyv<Value>(stored);
  }

  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    const found = await this.cache.getMany(keys);
    return keys.map((key) => (Object.hasOwn(found, key) ? this.toKeyv<Value>(found[key]) : undefined));
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const stored = this.fromKeyv(value);
    if (stored === undefined) {
      await this.cache.delete(key);
      return true;
    }
    return this.cache.set(key, stored, ttlToTimeout(ttl, this.alias));
  }

  /** One result per entry, as Keyv's `setMany` hands them on (its adapter type says `void`). */
  async setMany(entries: Array<{ key: string; value: unknown; ttl?: number }>): Promise<boolean[]> {
    // The cache's setMany takes one timeout; Keyv entries may each carry their own.
    const byTimeout = new Map<number | null, Record<string, unknown>>();
    const results = new Map<string, boolean>();
    for (const { key, value, ttl } of entries) {
      const stored = this.fromKeyv(value);
      if (stored === undefined) {
        await this.cache.delete(key);
        results.set(key, true);
        continue;
      }
      const timeout = ttlToTimeout(ttl, this.alias);
      const group = byTimeout.get(timeout) ?? {};
      group[key] = stored;
      byTimeout.set(timeout, group);
    }
    for (const [timeout, group] of byTimeout) {
      const failed = new Set(await this.cache.setMany(group, timeout));
      for (const key of Object.keys(group)) results.set(key, !failed.has(key));
    }
    return entries.map(({ key }) => results.get(key) ?? false);
  }

  delete(key: string): Promise<boolean> {
    return this.cache.delete(key);
  }

  async deleteMany(keys: string[]): Promise<boolean> {
    return (await this.cache.deleteMany(keys)) > 0;
  }

  has(key: string): Promise<boolean> {
    return this.cache.has(key);
  }

  hasMany(keys: string[]): Promise<boolean[]> {
    return Promise.all(keys.map((key) => this.cache.has(key)));
  }

  /** Removes this namespace's keys, or without a namespace every key of the cache (`Cache.clear`). */
  async clear(): Promise<void> {
    // Keyv namespaces are literal text; SCAN patterns are globs.
    if (this.namespace) {
      await this.cache.deletePattern(`${escapeGlob(this.namespace)}:*`);
      return;
    }
    await this.cache.clear();
  }

  /** Yields `[key, stored]` for Keyv's `iterator()`, by SCAN and one MGET per batch of keys. */
  async *iterator<Value>(
    namespace?: string,
  ): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const pattern = namespace ? `${escapeGlob(namespace)}:*` : '*';
    let batch: string[] = [];
    for await (const key of this.cache.iterKeys(pattern)) {
      batch.push(key);
      if (batch.length >= this.batchSize) {
        yield* this.entries<Value>(batch);
        batch = [];
      }
    }
    if (batch.length > 0) yield* this.entries<Value>(batch);
  }

  /** Nothing to do: see the class comment. */
  async disconnect(): Promise<void> {}

  private async *entries<Value>(keys: string[]): AsyncGenerator<Array<string | Awaited<Value> | undefined>> {
    const found = await this.cache.getMany(keys);
    for (const key of keys) {
      if (Object.hasOwn(found, key)) yield [key, this.toKeyv(found[key]) as Awaited<Value>];
    }
  }

  /** What the cache holds → what Keyv expects from a store. */
  private toKeyv<Value>(stored: unknown): StoredData<Value> {
    if (this.valueFormat === 'keyv') return stored as StoredData<Value>;
    return { value: stored as Value, expires: undefined };
  }

  /** What Keyv hands over → what the cache stores; `undefined` means "nothing to store". */
  private fromKeyv(value: unknown): unknown {
    if (this.valueFormat === 'keyv') return value;
    if (typeof value === 'string') throw new KeyvSerializedValueError(this.alias);
    if (value !== null && typeof value === 'object' && 'value' in value) return value.value;
    return value;
  }
}
