import type { Redis } from 'ioredis';
import type { ReadFrom } from '../connector/connector-options.js';
import { isReplyError } from '../connector/ioredis/driver-messages.js';
import {
  InvalidCacheArgumentError,
  InvalidCacheConfigError,
  KeyNotFoundError,
  ValueNotIntegerError,
} from '../errors.js';
import type { BurstLog } from '../shared/burst-log.js';
import { escapeGlob } from '../shared/glob-escape.js';
import type { CacheConfig, KeyFunction, VersionOpts } from './cache-config.js';
import {
  ignoredFailureLine,
  ignoredFailuresLog,
  isConnectionFailure,
  toCacheError,
} from './cache-failures.js';
import { resolveCompressor } from './compressors/index.js';
import { defaultKeyFunction, defaultReverseKeyFunction, isOwnKey } from './key-function.js';
import { Lock, type LockOptions } from './lock.js';
import { resolveSerializer } from './serializers/index.js';
import { ValueCodec } from './value-codec.js';

/** The two clients a cache needs; a `Connector` is one. */
export interface CacheConnection {
  /** The client for writes; always reaches the current master. */
  master(): Redis;
  /** The client that serves reads now under the read policy `readFrom`. */
  replica(readFrom?: ReadFrom): Redis;
}

/** Settings a cache gets from its owner rather than from its config entry. */
export interface CacheSettings {
  /** The alias, named in errors and logs. Default: none. */
  alias?: string;
  /** Runs on `close()`, e.g. to close or release the connector. Default: nothing. */
  onClose?: () => Promise<void>;
}

/** Default `TIMEOUT` of a Django cache, in seconds. */
export const DEFAULT_TIMEOUT = 300;

// Increment only an existing key, atomically: INCRBY alone would create a missing key at 0,
// and an EXISTS before it could race an expiry (django-redis's script).
const INCR_EXISTING = `if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end
return false`;

const SCAN_COUNT = 1000;
const DELETE_BATCH = 500;

const NO_FLAGS: SetFlags = Object.freeze({});

type SetFlags = VersionOpts & {
  /** Only set when the key does not exist (SET NX). */
  nx?: boolean;
  /** Only set when the key exists (SET XX). */
  xx?: boolean;
};

/**
 * A django-redis-style cache on one Redis database: Django's key layout, timeouts in seconds,
 * integers stored as Redis integers, values through a serializer and a compressor. Reads use
 * `replica()`, everything that writes uses `master()`.
 */
export class Cache {
  /** The alias this cache was configured under, if any. */
  readonly alias: string | undefined;
  /** Django's `KEY_PREFIX`. */
  readonly keyPrefix: string;
  /** Django's `VERSION`: the version keys get when a call names none. */
  readonly version: number;
  /** Seconds a value lives when a call names no timeout; `null` = forever. */
  readonly defaultTimeout: number | null;

  private readonly keyFunction: KeyFunction;
  private readonly reverseKey: (redisKey: string, keyPrefix: string, version: number) => string | undefined;
  private readonly customKeyFunction: boolean;
  private readonly codec: ValueCodec;
  private readonly ignoreExceptions: boolean;
  private readonly readFrom: ReadFrom;
  private readonly burst: BurstLog;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly onClose: (() => Promise<void>) | undefined;
  private closed = false;

  constructor(
    config: CacheConfig,
    private readonly connection: CacheConnection,
    settings: CacheSettings = {},
  ) {
    this.alias = settings.alias;
    this.onClose = settings.onClose;
    const context = this.context();
    this.keyPrefix = config.keyPrefix ?? '';
    this.version = config.version ?? 1;
    if (!Number.isSafeInteger(this.version)) {
      throw new InvalidCacheConfigError(
        { problem: `Invalid "version" ${String(config.version)}`, fix: 'Set "version" to an integer' },
        context,
      );
    }
    this.defaultTimeout = config.timeout === undefined ? DEFAULT_TIMEOUT : config.timeout;
    if (this.defaultTimeout !== null && !Number.isFinite(this.defaultTimeout)) {
      throw new InvalidCacheConfigError(
        {
          problem: `Invalid "timeout" ${String(config.timeout)}`,
          fix: 'Set "timeout" to seconds as a finite number, or null for no expiry',
        },
        context,
      );
    }
    this.customKeyFunction = config.keyFunction !== undefined;
    this.keyFunction = config.keyFunction ?? defaultKeyFunction;
    this.reverseKey =
      config.reverseKeyFunction ??
      (this.customKeyFunction ? (redisKey) => redisKey : defaultReverseKeyFunction);
    const options = config.options ?? {};
    this.codec = new ValueCodec(
      resolveSerializer(options.serializer, this.alias),
      resolveCompressor(options, this.alias),
      this.alias,
    );
    this.ignoreExceptions = options.ignoreExceptions ?? false;
    this.readFrom = options.readFrom ?? 'replicaPreferred';
    this.burst = ignoredFailuresLog(options.logger ?? console, this.alias);
  }

  /** The Redis key of `key` at `version` (default: the cache's version). */
  makeKey(key: string, version?: number): string {
    if (this.customKeyFunction) return this.keyFunction(key, this.keyPrefix, version ?? this.version);
    return `${this.keyPrefix}:${version ?? this.version}:${key}`;
  }

  /** The value of `key`, or `defaultValue` when there is none. */
  async get<T = unknown>(key: string, defaultValue?: T, opts?: VersionOpts): Promise<T | undefined> {
    // Hot path: await with an inline try rather than closures (bench/cache measures every allocation).
    const redisKey = this.makeKey(key, opts?.version);
    let stored: Buffer | null;
    try {
      stored = await this.reader().getBuffer(redisKey);
      this.burst.succeeded();
    } catch (error) {
      stored = this.failed(error, 'GET', null);
    }
    return stored === null ? defaultValue : (this.codec.decode(key, stored) as T);
  }

  /**
   * Stores `value` for `timeout` seconds (default: the cache's; `null` = forever; `0` or negative
   * deletes the key, as Django does). True when stored; false when `nx`/`xx` prevented it.
   */
  async set(
    key: string,
    value: unknown,
    timeout?: number | null,
    opts: SetFlags = NO_FLAGS,
  ): Promise<boolean> {
    if (opts.nx && opts.xx) {
      throw new InvalidCacheArgumentError(
        { problem: 'set() got both "nx" and "xx"', fix: 'Pass one of them; they exclude each other' },
        this.context(),
      );
    }
    const redisKey = this.makeKey(key, opts.version);
    const encoded = this.codec.encode(key, value);
    const ms = this.timeoutMs(timeout);
    if (ms !== null && ms <= 0) {
      // Like django-redis: an expired add() stores nothing and reports whether the key was free.
      return opts.nx ? !(await this.has(key, opts)) : this.delete(key, opts);
    }
    // Hot path: the typed set() overloads rather than call(), and no closures (bench/cache).
    const master = this.connection.master();
    let reply: string | null;
    try {
      if (ms === null) {
        if (opts.nx) reply = await master.set(redisKey, encoded, 'NX');
        else reply = await (opts.xx ? master.set(redisKey, encoded, 'XX') : master.set(redisKey, encoded));
      } else if (opts.nx) reply = await master.set(redisKey, encoded, 'PX', ms, 'NX');
      else
        reply = await (opts.xx
          ? master.set(redisKey, encoded, 'PX', ms, 'XX')
          : master.set(redisKey, encoded, 'PX', ms));
      this.burst.succeeded();
    } catch (error) {
      reply = this.failed(error, 'SET', null);
    }
    return reply === 'OK';
  }

  /** Stores `value` only when `key` has none; true when it did. */
  add(key: string, value: unknown, timeout?: number | null, opts: VersionOpts = {}): Promise<boolean> {
    return this.set(key, value, timeout, { ...opts, nx: true });
  }

  /**
   * The value of `key`; when there is none, stores `value` (or what the function returns) with
   * `add` and returns what the cache holds then. Concurrent calls for one key in this process run
   * the function once and share its result.
   */
  async getOrSet<T>(
    key: string,
    value: T | (() => T | Promise<T>),
    timeout?: number | null,
    opts: VersionOpts = {},
  ): Promise<T> {
    const flightKey = this.makeKey(key, opts.version);
    const pending = this.inFlight.get(flightKey);
    if (pending !== undefined) return pending as Promise<T>;
    const flight = this.fill(key, value, timeout, opts).finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, flight);
    return flight;
  }

  private async fill<T>(
    key: string,
    value: T | (() => T | Promise<T>),
    timeout: number | null | undefined,
    opts: VersionOpts,
  ): Promise<T> {
    const found = await this.get<T>(key, undefined, opts);
    if (found !== undefined) return found;
    const fresh = typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
    if (await this.add(key, fresh, timeout, opts)) return fresh;
    // Someone else stored first: theirs wins, read from the master so replication lag cannot hide it.
    const redisKey = this.makeKey(key, opts.version);
    const stored = await this.run('GET', null, () => this.connection.master().getBuffer(redisKey));
    return stored === null ? fresh : (this.codec.decode(key, stored) as T);
  }

  /** The values of the keys that exist, by the user's key. */
  async getMany(keys: string[], opts: VersionOpts = {}): Promise<Record<string, unknown>> {
    if (keys.length === 0) return {};
    const redisKeys = keys.map((key) => this.makeKey(key, opts.version));
    const stored = await this.run('MGET', [], () => this.reader().mgetBuffer(...redisKeys));
    const found: Record<string, unknown> = {};
    stored.forEach((bytes, i) => {
      const key = keys[i] as string;
      if (bytes !== null) found[key] = this.codec.decode(key, bytes);
    });
    return found;
  }

  /** Stores every entry with one round trip; returns the keys that could not be stored. */
  async setMany(
    entries: Record<string, unknown>,
    timeout?: number | null,
    opts: VersionOpts = {},
  ): Promise<string[]> {
    const keys = Object.keys(entries);
    if (keys.length === 0) return [];
    const encoded = keys.map((key) => this.codec.encode(key, entries[key]));
    const ms = this.timeoutMs(timeout);
    if (ms !== null && ms <= 0) {
      await this.deleteMany(keys, opts);
      return [];
    }
    const replies = await this.run('SET (pipeline)', null, async () => {
      const pipeline = this.connection.master().pipeline();
      keys.forEach((key, i) => {
        const redisKey = this.makeKey(key, opts.version);
        const value = encoded[i] as string | Buffer;
        if (ms === null) pipeline.set(redisKey, value);
        else pipeline.set(redisKey, value, 'PX', ms);
      });
      const results = await pipeline.exec();
      // A pipeline resolves even when its socket failed; such a failure is the whole call's.
      const lost = results?.find(([error]) => error !== null && isConnectionFailure(error))?.[0];
      if (lost) throw lost;
      return results;
    });
    if (replies === null) return keys;
    return keys.filter((_, i) => {
      const [error, reply] = replies[i] ?? [new Error('no reply'), null];
      return error !== null || reply !== 'OK';
    });
  }

  /** Deletes `key`; true when it existed. */
  async delete(key: string, opts: VersionOpts = {}): Promise<boolean> {
    const redisKey = this.makeKey(key, opts.version);
    return (await this.run('DEL', 0, () => this.connection.master().del(redisKey))) > 0;
  }

  /** Deletes the keys; returns how many existed. */
  async deleteMany(keys: string[], opts: VersionOpts = {}): Promise<number> {
    if (keys.length === 0) return 0;
    const redisKeys = keys.map((key) => this.makeKey(key, opts.version));
    return this.run('DEL', 0, () => this.connection.master().del(...redisKeys));
  }

  /** True when `key` exists. */
  async has(key: string, opts: VersionOpts = {}): Promise<boolean> {
    const redisKey = this.makeKey(key, opts.version);
    return (await this.run('EXISTS', 0, () => this.reader().exists(redisKey))) === 1;
  }

  /**
   * Adds `delta` (an integer, default 1) to the integer at `key`, keeping its TTL, and returns the
   * result. `KeyNotFoundError` when the key does not exist, `ValueNotIntegerError` when it holds
   * something other than a number.
   */
  async incr(key: string, delta = 1, opts: VersionOpts = {}): Promise<number> {
    if (!Number.isSafeInteger(delta)) {
      throw new InvalidCacheArgumentError(
        { problem: `Invalid incr/decr delta ${delta}`, fix: 'Pass a safe integer' },
        this.context(),
      );
    }
    const redisKey = this.makeKey(key, opts.version);
    try {
      const reply = await this.connection.master().eval(INCR_EXISTING, 1, redisKey, delta);
      if (reply === null) throw new KeyNotFoundError(key, redisKey, this.context());
      return Number(reply);
    } catch (error) {
      if (isReplyError(error) && /not an integer|out of range/.test(error.message)) {
        return this.incrNumber(key, redisKey, delta, error);
      }
      // No neutral result exists for a counter, so even with ignoreExceptions this throws (and the
      // message does not suggest that option).
      throw toCacheError(error, 'INCRBY', this.alias);
    }
  }

  /** A stored float (or an integer past 64 bits) cannot INCRBY; add in the process, keep the TTL. */
  private async incrNumber(key: string, redisKey: string, delta: number, cause: unknown): Promise<number> {
    const master = this.connection.master();
    const [stored, pttl] = await Promise.all([master.getBuffer(redisKey), master.pttl(redisKey)]).catch(
      (error: unknown) => {
        throw toCacheError(error, 'GET', this.alias);
      },
    );
    if (stored === null) throw new KeyNotFoundError(key, redisKey, this.context());
    const current = this.codec.decode(key, stored);
    if (typeof current !== 'number') throw new ValueNotIntegerError(key, { ...this.context(), cause });
    const next = current + delta;
    const ttl = pttl > 0 ? ['PX', pttl] : [];
    await master.call('SET', [redisKey, this.codec.encode(key, next), ...ttl]).catch((error: unknown) => {
      throw toCacheError(error, 'SET', this.alias);
    });
    return next;
  }

  /** Subtracts `delta` (default 1); see `incr`. */
  decr(key: string, delta = 1, opts: VersionOpts = {}): Promise<number> {
    return this.incr(key, -delta, opts);
  }

  /**
   * Gives `key` a new timeout in seconds (default: the cache's; `null` = forever). True when the
   * key exists.
   */
  async touch(key: string, timeout?: number | null, opts: VersionOpts = {}): Promise<boolean> {
    const redisKey = this.makeKey(key, opts.version);
    const ms = this.timeoutMs(timeout);
    if (ms === null)
      return (await this.run('PERSIST', 0, () => this.connection.master().persist(redisKey))) === 1;
    return (await this.run('PEXPIRE', 0, () => this.connection.master().pexpire(redisKey, ms))) === 1;
  }

  /** Seconds `key` has left: `0` when it does not exist, `null` when it never expires. */
  async ttl(key: string, opts: VersionOpts = {}): Promise<number | null> {
    const redisKey = this.makeKey(key, opts.version);
    const ttl = await this.run('TTL', -2, () => this.reader().ttl(redisKey));
    if (ttl === -1) return null;
    return Math.max(ttl, 0);
  }

  /** Makes `key` expire in `timeout` seconds (`0` or negative deletes it). True when it exists. */
  async expire(key: string, timeout: number, opts: VersionOpts = {}): Promise<boolean> {
    if (typeof timeout !== 'number') {
      throw new InvalidCacheArgumentError(
        { problem: `Invalid expire timeout ${String(timeout)}`, fix: 'Pass seconds as a number' },
        this.context(),
      );
    }
    return this.touch(key, timeout, opts);
  }

  /** Removes the timeout of `key`. True when it exists. */
  persist(key: string, opts: VersionOpts = {}): Promise<boolean> {
    return this.touch(key, null, opts);
  }

  /** The user keys matching the glob `pattern` at the version (by SCAN, never KEYS). */
  async keys(pattern: string, opts: VersionOpts = {}): Promise<string[]> {
    const found: string[] = [];
    for await (const key of this.iterKeys(pattern, opts)) found.push(key);
    return found;
  }

  /** The user keys matching the glob `pattern`, streamed by SCAN on the read client. */
  async *iterKeys(pattern: string, opts: VersionOpts = {}): AsyncIterable<string> {
    const version = opts.version ?? this.version;
    for await (const batch of this.scan(this.reader(), this.patternFor(pattern, version))) {
      for (const redisKey of batch) {
        const key = this.reverseKey(redisKey, this.keyPrefix, version);
        if (key !== undefined) yield key;
      }
    }
  }

  /** Deletes the keys matching the glob `pattern` at the version, in SCAN batches; returns how many. */
  async deletePattern(pattern: string, opts: VersionOpts = {}): Promise<number> {
    const version = opts.version ?? this.version;
    return this.unlinkScanned(this.patternFor(pattern, version), () => true);
  }

  /**
   * Deletes every version of this cache's keys and nothing else, by SCAN + UNLINK: prefix `dj`
   * leaves `dj:bi:1:x` and keys of other applications alone. With a custom `keyFunction`, deletes
   * what `keyFunction('*', prefix, version)` matches at the cache's version.
   */
  async clear(): Promise<void> {
    if (this.customKeyFunction) {
      await this.unlinkScanned(this.patternFor('*', this.version), () => true);
      return;
    }
    await this.unlinkScanned(`${escapeGlob(this.keyPrefix)}:*`, (redisKey) =>
      isOwnKey(redisKey, this.keyPrefix),
    );
  }

  /** A lock named `name` (a cache key) on the master; see `Lock`. Times in seconds. */
  lock(name: string, options: LockOptions & VersionOpts = {}): Lock {
    return new Lock(
      () => this.connection.master(),
      name,
      this.makeKey(name, options.version),
      options,
      this.alias,
    );
  }

  /**
   * Moves `key` from its version to version + `delta`, value and remaining TTL together (one
   * RENAME on the master), and returns the new version. `KeyNotFoundError` when it does not exist.
   */
  async incrVersion(key: string, delta = 1, opts: VersionOpts = {}): Promise<number> {
    if (!Number.isSafeInteger(delta)) {
      throw new InvalidCacheArgumentError(
        { problem: `Invalid version delta ${delta}`, fix: 'Pass a safe integer' },
        this.context(),
      );
    }
    const version = opts.version ?? this.version;
    const from = this.makeKey(key, version);
    const to = this.makeKey(key, version + delta);
    try {
      if (from !== to) await this.connection.master().rename(from, to);
      else if ((await this.connection.master().exists(from)) === 0)
        throw new KeyNotFoundError(key, from, this.context());
      return version + delta;
    } catch (error) {
      if (error instanceof Error && /no such key/i.test(error.message)) {
        throw new KeyNotFoundError(key, from, this.context());
      }
      throw toCacheError(error, 'RENAME', this.alias);
    }
  }

  /** Moves `key` to version − `delta`; see `incrVersion`. */
  decrVersion(key: string, delta = 1, opts: VersionOpts = {}): Promise<number> {
    return this.incrVersion(key, -delta, opts);
  }

  /**
   * The raw ioredis client behind this cache: the master's (default), or with `write: false` the
   * one reads use now (django-redis's `get_client(write=...)`).
   */
  client(options: { write?: boolean } = {}): Redis {
    return options.write === false ? this.reader() : this.connection.master();
  }

  /** Releases this cache's connection (the connector closes when no cache uses it any more). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.onClose?.();
  }

  private reader(): Redis {
    return this.connection.replica(this.readFrom);
  }

  /** Milliseconds for a timeout in seconds: `undefined` → the default, `null` → no expiry. */
  private timeoutMs(timeout: number | null | undefined): number | null {
    const seconds = timeout === undefined ? this.defaultTimeout : timeout;
    if (seconds === null) return null;
    if (typeof seconds !== 'number' || Number.isNaN(seconds)) {
      throw new InvalidCacheArgumentError(
        {
          problem: `Invalid timeout ${String(timeout)}`,
          fix: 'Pass seconds as a number, or null for no expiry',
        },
        this.context(),
      );
    }
    // Django truncates toward zero (int(timeout * 1000)), so 0.0004 s is "do not store".
    return seconds === Number.POSITIVE_INFINITY ? null : Math.trunc(seconds * 1000);
  }

  private patternFor(pattern: string, version: number): string {
    return this.keyFunction(pattern, escapeGlob(this.keyPrefix), version);
  }

  private async *scan(client: Redis, match: string): AsyncIterable<string[]> {
    let cursor = '0';
    do {
      const [next, batch] = await this.run('SCAN', ['0', [] as string[]] as [string, string[]], () =>
        client.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT),
      );
      cursor = next;
      if (batch.length > 0) yield batch;
    } while (cursor !== '0');
  }

  private async unlinkScanned(match: string, keep: (redisKey: string) => boolean): Promise<number> {
    const master = this.connection.master();
    let deleted = 0;
    for await (const batch of this.scan(master, match)) {
      const own = batch.filter(keep);
      for (let i = 0; i < own.length; i += DELETE_BATCH) {
        const slice = own.slice(i, i + DELETE_BATCH);
        deleted += await this.run('UNLINK', 0, () => master.unlink(...slice));
      }
    }
    return deleted;
  }

  /**
   * Runs one Redis call: connection failures become `CacheConnectionError`, or — with
   * `ignoreExceptions` — the `fallback` (a miss, a no-op) and one log line per burst.
   */
  private async run<R>(command: string, fallback: R, call: () => Promise<R>): Promise<R> {
    try {
      const result = await call();
      this.burst.succeeded();
      return result;
    } catch (error) {
      return this.failed(error, command, fallback);
    }
  }

  private failed<T>(error: unknown, command: string, fallback: T): T {
    const typed = toCacheError(error, command, this.alias, !this.ignoreExceptions);
    if (this.ignoreExceptions && isConnectionFailure(typed)) {
      this.burst.failed(ignoredFailureLine(this.alias, typed), { alias: this.alias, error: typed });
      return fallback;
    }
    throw typed;
  }

  private context(): { alias?: string } {
    return this.alias === undefined ? {} : { alias: this.alias };
  }
}
