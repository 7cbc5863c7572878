import type { ReadFrom } from '../connector/connector-options.js';
import { InvalidCacheConfigError } from '../errors.js';
import { parseLocation } from '../location/location.js';

/** Default `readYourWrites` window, in milliseconds. */
export const DEFAULT_READ_YOUR_WRITES_MS = 1000;

/** Keys remembered at most; past that, every read goes to the master until the oldest would have lapsed. */
export const READ_YOUR_WRITES_MAX_KEYS = 10_000;

/**
 * Remembers which keys this process wrote in the last `windowMs` milliseconds, so a read of such a
 * key goes to the master: a replica may not have the write yet, and a caller that just wrote a
 * value (cache-manager's `wrap` refreshing in the background, a set followed by a get) expects to
 * read it back.
 *
 * Memory is bounded: a `Map` in write order (a rewrite moves the key to the end), pruned from the
 * front as entries lapse, and capped at `maxKeys`. Dropping an entry early would let its read hit a
 * lagging replica, so overflow turns into "every read to the master" until the dropped entry's
 * window would have ended: the cap costs replica reads, never a stale read.
 */
export class ReadYourWrites {
  /** Redis key → when its window ends (`performance.now()` milliseconds). */
  private readonly written = new Map<string, number>();
  /** Until when every read goes to the master (after `clear()` and the like, or an overflow). */
  private everythingUntil = 0;

  constructor(
    /** How long after a write its key's reads go to the master, in milliseconds. */
    readonly windowMs: number,
    private readonly maxKeys = READ_YOUR_WRITES_MAX_KEYS,
  ) {}

  /**
   * The tracker a cache needs, or `undefined` when reads could not miss a write anyway: the window
   * is 0, reads already go to the master, or the location is one server.
   */
  static forCache(
    windowMs: number | undefined,
    readFrom: ReadFrom,
    location: string,
    context: { alias?: string },
  ): ReadYourWrites | undefined {
    const window = windowMs ?? DEFAULT_READ_YOUR_WRITES_MS;
    if (typeof window !== 'number' || !Number.isFinite(window) || window < 0) {
      throw new InvalidCacheConfigError(
        {
          problem: `Invalid "readYourWrites" ${String(windowMs)}`,
          fix: 'Set "readYourWrites" to milliseconds, 0 or more (0 turns it off)',
        },
        context,
      );
    }
    if (window === 0 || readFrom === 'master' || !hasReplicas(location)) return undefined;
    return new ReadYourWrites(window);
  }

  /** This process is writing `redisKey` now. */
  wrote(redisKey: string): void {
    const now = performance.now();
    this.written.delete(redisKey);
    this.written.set(redisKey, now + this.windowMs);
    if (this.written.size > this.maxKeys) this.overflow();
    else this.prune(now);
  }

  /** This process is writing keys it cannot name one by one (`clear()`, a pattern delete). */
  wroteEverything(): void {
    this.everythingUntil = performance.now() + this.windowMs;
    this.written.clear();
  }

  /** True when a read of `redisKey` must go to the master. */
  pending(redisKey: string): boolean {
    const now = performance.now();
    if (now < this.everythingUntil) return true;
    const until = this.written.get(redisKey);
    if (until === undefined) return false;
    if (until > now) return true;
    this.written.delete(redisKey);
    return false;
  }

  /** True when a read of any of `redisKeys` must go to the master. */
  anyPending(redisKeys: readonly string[]): boolean {
    if (this.written.size === 0 && performance.now() >= this.everythingUntil) return false;
    return redisKeys.some((redisKey) => this.pending(redisKey));
  }

  /** Keys remembered now (for tests and diagnostics). */
  get size(): number {
    return this.written.size;
  }

  /** Drops the entries whose window ended; they are at the front, in write order. */
  private prune(now: number): void {
    for (const [redisKey, until] of this.written) {
      if (until > now) return;
      this.written.delete(redisKey);
    }
  }

  private overflow(): void {
    const [oldest, until] = this.written.entries().next().value as [string, number];
    this.written.delete(oldest);
    if (until > this.everythingUntil) this.everythingUntil = until;
  }
}

/**
 * A sentinel or cluster location has replicas to read from; a one-server location reads where it writes. A
 * location that does not parse (a cache on a hand-made connection) is taken to have replicas.
 */
function hasReplicas(location: string): boolean {
  try {
    return parseLocation(location).kind !== 'standalone';
  } catch {
    return true;
  }
}
