import { InvalidCacheConfigError } from '../../errors.js';
import type { NearCacheOptions } from '../cache-config.js';
import type { ValueCodec } from '../value-codec.js';
import { FillGuard } from './fill-guard.js';
import { type NearCacheSettings, nearCacheSettings } from './near-cache-settings.js';
import { NearStore } from './near-store.js';
import { type TrackingConnection, TrackingLink } from './tracking-link.js';

/** `NearCache.read`: memory holds nothing for the key; ask Redis. */
export const NOT_HELD: unique symbol = Symbol('not held');
/** `NearCache.read`: memory knows the key is missing in Redis. */
export const ABSENT: unique symbol = Symbol('absent');

/** What `cache.nearCache` shows: counts since the cache was built, and a way to empty it. */
export interface NearCacheStats {
  /** Entries held now. */
  readonly size: number;
  /** Reads answered from memory. */
  readonly hits: number;
  /** Reads that went to the master. */
  readonly misses: number;
  /** Keys Redis invalidated, and this cache's own writes, that dropped an entry held. */
  readonly invalidations: number;
  /** Times everything was dropped: a reconnect, a failover, a FLUSHDB/FLUSHALL, `clear()`. */
  readonly flushes: number;
  /** Drops every entry (Redis is untouched). */
  clear(): void;
}

/**
 * Reads at memory speed, kept true by Redis: entries by Redis key (`NearStore`), filled by reads on
 * the tracking connection to the master, dropped when Redis invalidates their key
 * (`TrackingLink`), and kept only when no invalidation raced the read that filled them
 * (`FillGuard`). An entry lives at most as long as its key's TTL in Redis and the local `ttl`.
 * The connections open on the first miss, so building a cache still opens nothing.
 */
export class NearCache {
  readonly stats: NearCacheStats;
  private readonly store: NearStore;
  private readonly guard = new FillGuard();
  private link: TrackingLink | undefined;
  private hits = 0;
  private misses = 0;
  private invalidations = 0;
  private flushes = 0;
  private closed = false;

  constructor(
    private readonly settings: NearCacheSettings,
    private readonly connection: () => TrackingConnection,
  ) {
    this.store = new NearStore(settings.maxEntries, settings.maxBytes);
    const near = this;
    this.stats = {
      get size() {
        return near.store.size;
      },
      get hits() {
        return near.hits;
      },
      get misses() {
        return near.misses;
      },
      get invalidations() {
        return near.invalidations;
      },
      get flushes() {
        return near.flushes;
      },
      clear: () => this.flush(),
    };
  }

  /**
   * The near cache of a cache whose `options.nearCache` is `option`, or `undefined` when it is off.
   * The connection must be able to open companions (a `Connector`'s can).
   */
  static forCache(
    option: boolean | NearCacheOptions | undefined,
    connection: Partial<TrackingConnection>,
    alias: string | undefined,
  ): NearCache | undefined {
    const settings = nearCacheSettings(option, alias);
    if (settings === undefined) return undefined;
    const { companion, onFailover } = connection;
    if (companion === undefined || onFailover === undefined) {
      throw new InvalidCacheConfigError(
        {
          problem:
            '"nearCache" needs connections of its own to the master, which this cache connection cannot open',
          fix: 'Build the cache with createCache/createCaches, or turn "nearCache" off',
        },
        alias === undefined ? {} : { alias },
      );
    }
    return new NearCache(settings, () => ({
      companion: companion.bind(connection),
      onFailover: onFailover.bind(connection),
    }));
  }

  /** The bytes held for `key` (`null`: known absent), or `undefined` when memory cannot answer. */
  peek(key: string): Buffer | null | undefined {
    const held = this.store.get(key);
    if (held === undefined) return undefined;
    this.hits += 1;
    return held.value;
  }

  /**
   * The value held for `key`, decoded by `codec` (`userKey` names it in decoding errors): a string,
   * number, boolean or null is decoded once and shared, since no caller can change it; an object or
   * array is decoded afresh on every hit, so a caller that changes its copy changes nothing held.
   */
  read(key: string, userKey: string, codec: ValueCodec): unknown {
    const held = this.store.get(key);
    if (held === undefined) return NOT_HELD;
    this.hits += 1;
    if (held.value === null) return ABSENT;
    if (held.decoded !== undefined) return held.decoded.value;
    const value = codec.decode(userKey, held.value);
    if (value === null || typeof value !== 'object') held.decoded = { value };
    return value;
  }

  /** Reads `key` from the master with its TTL in one round trip, and keeps it when that is safe. */
  async fetch(key: string): Promise<Buffer | null> {
    this.misses += 1;
    const link = this.open();
    const ticket = link.armed ? this.guard.begin(key) : undefined;
    const sentAt = Date.now();
    let replies: [Buffer | null, number];
    try {
      replies = await Promise.all([link.client.getBuffer(key), link.client.pttl(key)]);
    } catch (error) {
      if (ticket !== undefined) this.guard.settle(key, ticket);
      throw error;
    }
    const [value, pttl] = replies;
    if (ticket !== undefined && this.guard.settle(key, ticket)) this.keep(key, value, pttl, sentAt);
    return value;
  }

  /** `fetch` for several keys: one MGET and their PTTLs, in one round trip. */
  async fetchMany(keys: string[]): Promise<(Buffer | null)[]> {
    this.misses += keys.length;
    const link = this.open();
    const tickets = link.armed ? keys.map((key) => this.guard.begin(key)) : undefined;
    const sentAt = Date.now();
    let values: (Buffer | null)[];
    let pttls: number[];
    try {
      [values, pttls] = await Promise.all([
        link.client.mgetBuffer(...keys),
        Promise.all(keys.map((key) => link.client.pttl(key))),
      ]);
    } catch (error) {
      if (tickets !== undefined) {
        for (const [i, key] of keys.entries()) this.guard.settle(key, tickets[i] as number);
      }
      throw error;
    }
    if (tickets !== undefined) {
      for (const [i, key] of keys.entries()) {
        if (this.guard.settle(key, tickets[i] as number)) {
          this.keep(key, values[i] ?? null, pttls[i] as number, sentAt);
        }
      }
    }
    return values;
  }

  /** This cache writes `key`: the entry goes, and a read of it in flight is not kept. */
  drop(key: string): void {
    this.guard.invalidate(key);
    if (this.store.delete(key)) this.invalidations += 1;
  }

  /** Everything goes (a `clear()`, a `deletePattern`, a reconnect, a failover, a FLUSHDB). */
  flush(): void {
    this.guard.flush();
    this.store.clear();
    this.flushes += 1;
  }

  /** Closes the tracking connection and the subscriber; memory is emptied. */
  close(): void {
    this.closed = true;
    this.link?.close();
    this.link = undefined;
    this.store.clear();
  }

  private open(): TrackingLink {
    if (this.link === undefined) {
      this.link = new TrackingLink(this.connection(), {
        invalidate: (key) => this.drop(key),
        flush: () => this.flush(),
      });
      // A cache closed before its first miss never links; its reads still fail as closed.
      if (this.closed) this.link.close();
    }
    return this.link;
  }

  /**
   * Keeps a reply: not past the key's TTL (counted from when the read was sent, so never later than
   * Redis expires it) nor the local `ttl`. A key that appeared or vanished between the GET and the
   * PTTL is not kept: the two replies disagree.
   */
  private keep(key: string, value: Buffer | null, pttl: number, sentAt: number): void {
    const absent = pttl === -2;
    if (absent !== (value === null)) return;
    const localEnd = sentAt + this.settings.ttlMs;
    const redisEnd = pttl >= 0 ? sentAt + pttl : Number.POSITIVE_INFINITY;
    this.store.put(key, value, Math.min(localEnd, redisEnd));
  }
}
