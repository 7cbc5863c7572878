import type { ConnectorLogger } from '../connector/connector-options.js';
import { GetOrSetLockError, InvalidCacheArgumentError, InvalidCacheConfigError } from '../errors.js';
import type { CacheClient } from './cache-client.js';
import type { GetOrSetOptions, VersionOpts } from './cache-config.js';
import { isConnectionFailure, toCacheError } from './cache-failures.js';
import { FillLock, type FillState } from './fill-lock.js';
import { FillNotices } from './fill-notices.js';

/** A value, or the function that produces it. */
export type Producer<T> = T | (() => T | Promise<T>);

/** The options of one `getOrSet` call: the key's version, and the cache's `getOrSet` defaults overridden. */
export type GetOrSetCallOptions = GetOrSetOptions & VersionOpts;

/** What `getOrSet` needs of its cache. */
export interface GetOrSetSettings {
  alias: string | undefined;
  get<T>(key: string, opts: VersionOpts): Promise<T | undefined>;
  /** The value and the milliseconds it has left (`-1`: no expiry), or `undefined` for a miss. */
  getWithTtl<T>(key: string, opts: VersionOpts): Promise<{ value: T; pttlMs: number } | undefined>;
  add(key: string, value: unknown, timeout: number | null | undefined, opts: VersionOpts): Promise<boolean>;
  set(key: string, value: unknown, timeout: number | null | undefined, opts: VersionOpts): Promise<boolean>;
  /**
   * Reads the key from the master, so replication lag cannot hide a value another caller stored:
   * `{ value }` when it exists (a stored `null` included), `undefined` when it does not.
   */
  getFromMaster<T>(key: string, opts: VersionOpts): Promise<{ value: T } | undefined>;
  /** Stored bytes → the value, as `get` decodes them. */
  decode(key: string, bytes: Buffer): unknown;
  makeKey(key: string, version?: number): string;
  master(): CacheClient;
  ignoreExceptions: boolean;
  /** The cache's `options.getOrSet`. */
  defaults: GetOrSetOptions;
  logger: ConnectorLogger;
}

/** Seconds a fill lock lives when the options name no `timeout`. */
export const DEFAULT_FILL_LOCK_TIMEOUT = 10;

/**
 * Milliseconds between two looks of a waiter that hears no announcement: a lost message or a dead
 * holder costs at most this much, and a waiting process at most 4 commands a second.
 */
const RECHECK_MS = 250;

interface LockPlan {
  timeoutMs: number;
  waitMs: number;
}

interface Plan {
  lock: LockPlan | undefined;
  refreshAheadMs: number;
}

/**
 * django-redis's `get_or_set`, with stampede protection. Concurrent calls for one key in this
 * process always share one flight. With `lock`, one caller across every process runs the producer
 * while the others wait for its announcement (pub/sub, see `FillNotices`) and read its value; with
 * `refreshAhead`, a hit close to expiry is refreshed in the background by one lock holder while
 * every caller gets the current value.
 */
export class GetOrSet {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly refreshing = new Set<string>();
  private readonly notices: FillNotices;

  constructor(private readonly cache: GetOrSetSettings) {
    this.notices = new FillNotices(() => cache.master());
    plan(cache.defaults, cache.alias, 'config');
  }

  run<T>(
    key: string,
    value: Producer<T>,
    timeout: number | null | undefined,
    opts: GetOrSetCallOptions,
  ): Promise<T> {
    const chosen = plan({ ...this.cache.defaults, ...definedOnly(opts) }, this.cache.alias, 'call');
    const flightKey = this.cache.makeKey(key, opts.version);
    const pending = this.inFlight.get(flightKey);
    if (pending !== undefined) return pending as Promise<T>;
    const flight = this.fill(key, value, timeout, opts, chosen).finally(() =>
      this.inFlight.delete(flightKey),
    );
    this.inFlight.set(flightKey, flight);
    return flight;
  }

  /** Closes the subscriber connection of the waits. */
  close(): void {
    this.notices.close();
  }

  private async fill<T>(
    key: string,
    value: Producer<T>,
    timeout: number | null | undefined,
    opts: VersionOpts,
    chosen: Plan,
  ): Promise<T> {
    if (chosen.refreshAheadMs > 0) {
      const hit = await this.cache.getWithTtl<T>(key, opts);
      if (hit !== undefined) {
        if (hit.pttlMs >= 0 && hit.pttlMs < chosen.refreshAheadMs) {
          this.refresh(key, value, timeout, opts, chosen.lock?.timeoutMs ?? DEFAULT_FILL_LOCK_TIMEOUT * 1000);
        }
        return hit.value;
      }
    } else {
      const found = await this.cache.get<T>(key, opts);
      if (found !== undefined) return found;
    }
    if (chosen.lock === undefined) return this.produceAndAdd(key, value, timeout, opts);
    return this.fillLocked(key, value, timeout, opts, chosen.lock);
  }

  /** One holder across processes; the others wait for its value, or run the producer once `wait` is over. */
  private async fillLocked<T>(
    key: string,
    value: Producer<T>,
    timeout: number | null | undefined,
    opts: VersionOpts,
    lock: LockPlan,
  ): Promise<T> {
    const fillLock = new FillLock(
      () => this.cache.master(),
      this.cache.makeKey(key, opts.version),
      lock.timeoutMs,
    );
    const first = await this.look(key, fillLock);
    if (first !== 'held') return this.settle(key, value, timeout, opts, fillLock, first);
    const deadline = performance.now() + lock.waitMs;
    const { channel } = fillLock;
    await this.notices.listen(channel);
    try {
      for (;;) {
        const since = this.notices.seen(channel);
        const state = await this.look(key, fillLock);
        if (state !== 'held') return await this.settle(key, value, timeout, opts, fillLock, state);
        const left = deadline - performance.now();
        if (left <= 0) break;
        await this.notices.next(channel, since, Math.min(left, RECHECK_MS));
      }
    } finally {
      this.notices.unlisten(channel);
    }
    // The holder is slow or gone and the lock has not lapsed yet: this caller's wait is over.
    return this.produceAndAdd(key, value, timeout, opts);
  }

  /** What a look found, as this caller's value: the stored one, or the producer's under the lock. */
  private async settle<T>(
    key: string,
    value: Producer<T>,
    timeout: number | null | undefined,
    opts: VersionOpts,
    fillLock: FillLock,
    state: Exclude<FillState, 'held'> | 'bypass',
  ): Promise<T> {
    if (state === 'bypass') return this.produceAndAdd(key, value, timeout, opts);
    if (state !== 'acquired') return this.cache.decode(key, state.found) as T;
    try {
      return await this.produceAndAdd(key, value, timeout, opts);
    } finally {
      // A release that fails leaves the lock to lapse after its timeout; the value is stored anyway.
      await fillLock.release().catch(() => {});
    }
  }

  /** The lock's state; `'bypass'` when Redis is unreachable and `ignoreExceptions` lets the producer run unlocked. */
  private async look(key: string, fillLock: FillLock): Promise<FillState | 'bypass'> {
    try {
      return await fillLock.readOrAcquire();
    } catch (error) {
      const typed = toCacheError(error, 'EVAL (getOrSet lock)', this.cache.alias, false);
      if (this.cache.ignoreExceptions && isConnectionFailure(typed)) return 'bypass';
      throw new GetOrSetLockError(key, { alias: this.cache.alias, cause: typed });
    }
  }

  /** django-redis's fill: produce, store with `add`; when someone else stored first, theirs wins. */
  private async produceAndAdd<T>(
    key: string,
    value: Producer<T>,
    timeout: number | null | undefined,
    opts: VersionOpts,
  ): Promise<T> {
    const fresh = await produce(value);
    if (await this.cache.add(key, fresh, timeout, opts)) return fresh;
    const theirs = await this.cache.getFromMaster<T>(key, opts);
    return theirs === undefined ? fresh : theirs.value;
  }

  /** Refreshes `key` in the background when this process is not already doing so and the lock is free. */
  private refresh<T>(
    key: string,
    value: Producer<T>,
    timeout: number | null | undefined,
    opts: VersionOpts,
    lockTimeoutMs: number,
  ): void {
    const redisKey = this.cache.makeKey(key, opts.version);
    if (this.refreshing.has(redisKey)) return;
    this.refreshing.add(redisKey);
    const fillLock = new FillLock(() => this.cache.master(), redisKey, lockTimeoutMs);
    const work = async () => {
      if (!(await fillLock.acquire())) return;
      try {
        await this.cache.set(key, await produce(value), timeout, opts);
      } finally {
        await fillLock.release().catch(() => {});
      }
    };
    work()
      .catch((error: unknown) => {
        // Nobody awaits a background refresh: the callers already have the current value.
        const where = this.cache.alias === undefined ? '' : ` (cache "${this.cache.alias}")`;
        this.cache.logger.warn?.(`getOrSet could not refresh key "${key}" ahead of its expiry${where}`, {
          alias: this.cache.alias,
          error,
        });
      })
      .finally(() => this.refreshing.delete(redisKey));
  }
}

async function produce<T>(value: Producer<T>): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
}

/** `opts` without its `undefined` entries, so they do not hide the cache's defaults. */
function definedOnly(opts: GetOrSetOptions): GetOrSetOptions {
  const out: GetOrSetOptions = {};
  if (opts.lock !== undefined) out.lock = opts.lock;
  if (opts.refreshAhead !== undefined) out.refreshAhead = opts.refreshAhead;
  return out;
}

/** The options in milliseconds, checked; `where` says whether a bad one is the config's or the call's. */
function plan(options: GetOrSetOptions, alias: string | undefined, where: 'config' | 'call'): Plan {
  const invalid = (name: string, given: unknown, fix: string): never => {
    const problem = `Invalid getOrSet "${name}" ${String(given)}`;
    const context = alias === undefined ? {} : { alias };
    if (where === 'config')
      throw new InvalidCacheConfigError({ problem, fix: `Set options.getOrSet.${name} to ${fix}` }, context);
    throw new InvalidCacheArgumentError({ problem, fix: `Pass ${fix}` }, context);
  };
  const seconds = (name: string, given: unknown, positive: boolean): number => {
    if (typeof given !== 'number' || !Number.isFinite(given) || given < 0 || (positive && given === 0)) {
      return invalid(name, given, positive ? 'a positive number of seconds' : 'seconds, 0 or more');
    }
    return given;
  };
  const refreshAheadMs = seconds('refreshAhead', options.refreshAhead ?? 0, false) * 1000;
  const lock = options.lock ?? false;
  if (lock === false) return { lock: undefined, refreshAheadMs };
  if (lock !== true && (typeof lock !== 'object' || lock === null)) {
    return invalid('lock', lock, 'true, false or { timeout, wait } in seconds');
  }
  const spec = lock === true ? {} : lock;
  const timeout = seconds('lock.timeout', spec.timeout ?? DEFAULT_FILL_LOCK_TIMEOUT, true);
  const wait = seconds('lock.wait', spec.wait ?? timeout, false);
  return { lock: { timeoutMs: Math.ceil(timeout * 1000), waitMs: wait * 1000 }, refreshAheadMs };
}
