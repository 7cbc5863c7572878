import type { CompanionOptions, FailoverEvent, MasterCompanion } from '../connector/connector.js';
import { CONNECTOR_OPTIONS, type ReadFrom } from '../connector/connector-options.js';
import { InvalidCacheArgumentError, InvalidCacheConfigError } from '../errors.js';
import { observeCacheCalls } from '../telemetry/cache-calls.js';
import { observeConnection } from '../telemetry/observed-connection.js';
import { addOnce } from './add-once.js';
import { checkEntries, checkKey, checkKeys, checkVersion } from './arguments.js';
import { type CacheClient, deleteAcross, mgetAcross } from './cache-client.js';
import type { CacheConfig, KeyFunction, VersionOpts } from './cache-config.js';
import { CommandRunner } from './command-runner.js';
import { resolveCompressor } from './compressors/index.js';
import { Counters } from './counters.js';
import { GetOrSet, type GetOrSetCallOptions, type Producer } from './get-or-set.js';
import { defaultKeyFunction, defaultReverseKeyFunction } from './key-function.js';
import { KeySpace } from './key-space.js';
import { Lock, type LockOptions } from './lock.js';
import { ABSENT, NearCache, type NearCacheStats, NOT_HELD } from './near-cache/near-cache.js';
import { OnceScript } from './once-script.js';
import { ReadYourWrites } from './read-your-writes.js';
import { resolveSerializer } from './serializers/index.js';
import { DEFAULT_TIMEOUT, timeoutMs } from './timeout.js';
import { ValueCodec } from './value-codec.js';
import { WriteBatcher } from './write-batcher.js';

/** The two clients a cache needs; a `Connector` is one. */
export interface CacheConnection {
  /** The client for writes; always reaches the current master. */
  master(): CacheClient;
  /** The client that serves reads now under the read policy `readFrom`. */
  replica(readFrom?: ReadFrom): CacheClient;
  /** A connection of the cache's own to the current master (`Connector.companion`); for `nearCache`. */
  companion?(options: CompanionOptions): MasterCompanion;
  /** Calls `listener` on every failover and returns how to stop; for `nearCache`. */
  onFailover?(listener: (event: FailoverEvent) => void): () => void;
}

/** Settings a cache gets from its owner rather than from its config entry. */
export interface CacheSettings {
  /** The alias, named in errors and logs. Default: none. */
  alias?: string;
  /** Runs on `close()`, e.g. to close or release the connector. Default: nothing. */
  onClose?: () => Promise<void>;
}

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
 * `replica()`, everything that writes uses `master()`. The key space as a whole (`keys`, `clear`, …)
 * lives in `KeySpace`, the counters in `Counters`, and how one call fails in `CommandRunner`.
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
  private readonly customKeyFunction: boolean;
  private readonly codec: ValueCodec;
  private readonly readFrom: ReadFrom;
  private readonly runner: CommandRunner;
  private readonly keySpace: KeySpace;
  private readonly counters: Counters;
  /** Runs the non-idempotent scripts (counters, `add`, lock release and extension) exactly once. */
  private readonly once: OnceScript;
  private readonly getOrSetFlights: GetOrSet;
  /** The keys this process wrote lately, read from the master; `undefined` when reads cannot lag. */
  private readonly recentWrites: ReadYourWrites | undefined;
  private readonly writes: WriteBatcher;
  /** Reads answered from memory (`options.nearCache`); `undefined` when off. */
  private readonly near: NearCache | undefined;
  private readonly onClose: (() => Promise<void>) | undefined;
  private readonly connection: CacheConnection;
  private closed = false;

  constructor(config: CacheConfig, connection: CacheConnection, settings: CacheSettings = {}) {
    this.connection = observeConnection(this, connection);
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
    const options = config.options ?? {};
    this.codec = new ValueCodec(
      resolveSerializer(options.serializer, this.alias),
      resolveCompressor(options, this.alias),
      this.alias,
    );
    this.readFrom = options.readFrom ?? CONNECTOR_OPTIONS.readFrom.default;
    this.recentWrites = ReadYourWrites.forCache(
      options.readYourWrites,
      this.readFrom,
      config.location,
      context,
    );
    this.near = NearCache.forCache(options.nearCache, connection, this.alias);
    this.runner = new CommandRunner(this.alias, options.ignoreExceptions ?? false, options.logger ?? console);
    const reader = () => this.reader();
    const master = () => this.writer();
    this.keySpace = new KeySpace({
      keyPrefix: this.keyPrefix,
      keyFunction: this.keyFunction,
      reverseKey:
        config.reverseKeyFunction ??
        (this.customKeyFunction ? (redisKey) => redisKey : defaultReverseKeyFunction),
      customKeyFunction: this.customKeyFunction,
      runner: this.runner,
      reader,
      master,
    });
    this.writes = new WriteBatcher(() => this.connection.master());
    this.once = new OnceScript(options.queueTimeout ?? CONNECTOR_OPTIONS.queueTimeout.default);
    this.counters = new Counters({
      alias: this.alias,
      codec: this.codec,
      runner: this.runner,
      once: this.once,
      master,
    });
    this.getOrSetFlights = new GetOrSet({
      alias: this.alias,
      get: (key, opts) => this.get(key, undefined, opts),
      getWithTtl: (key, opts) => this.getWithTtl(key, opts),
      add: (key, value, timeout, opts) => this.add(key, value, timeout, opts),
      set: (key, value, timeout, opts) => this.set(key, value, timeout, opts),
      getFromMaster: async <T>(key: string, opts: VersionOpts) => {
        const redisKey = this.makeKey(key, opts.version);
        const stored = await this.run('GET', null, () => master().getBuffer(redisKey));
        return stored === null ? undefined : { value: this.codec.decode(key, stored) as T };
      },
      decode: (key, bytes) => this.codec.decode(key, bytes),
      makeKey: (key, version) => this.makeKey(key, version),
      master,
      ignoreExceptions: options.ignoreExceptions ?? false,
      defaults: options.getOrSet ?? {},
      logger: options.logger ?? console,
    });
  }

  /** The Redis key of `key` at `version` (default: the cache's version). */
  makeKey(key: string, version?: number): string {
    return this.keyOf('makeKey', key, version);
  }

  /** `makeKey` for a call of `method`, which a key that is not a string or a bad version fails. */
  private keyOf(method: string, key: unknown, version: unknown): string {
    const name = checkKey(method, key, this.alias);
    const at = checkVersion(method, version, this.alias) ?? this.version;
    if (this.customKeyFunction) return this.keyFunction(name, this.keyPrefix, at);
    return `${this.keyPrefix}:${at}:${name}`;
  }

  /** The value of `key`, or `defaultValue` when there is none. */
  async get<T = unknown>(key: string, defaultValue?: T, opts?: VersionOpts): Promise<T | undefined> {
    // Hot path: await with an inline try rather than closures (bench/cache measures every allocation).
    const redisKey = this.keyOf('get', key, opts?.version);
    if (this.near !== undefined) {
      const held = this.near.read(redisKey, key, this.codec);
      if (held !== NOT_HELD) return held === ABSENT ? defaultValue : (held as T);
    }
    let stored: Buffer | null;
    try {
      stored = await (this.near === undefined
        ? this.reader(redisKey).getBuffer(redisKey)
        : this.nearFetch(redisKey));
      this.runner.succeeded();
    } catch (error) {
      stored = this.runner.failed(error, 'GET', null);
    }
    return stored === null ? defaultValue : (this.codec.decode(key, stored) as T);
  }

  /**
   * Stores `value` for `timeout` seconds (default: the cache's; `null` = forever; `0` or negative
   * deletes the key, as Django does). True when stored; false when `nx`/`xx` prevented it. With
   * `nx` it is `add`, exactly once.
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
    const redisKey = this.keyOf('set', key, opts.version);
    const encoded = this.codec.encode(key, value);
    this.wrote(redisKey);
    const ms = timeoutMs(timeout, this.defaultTimeout, this.context());
    if (ms !== null && ms <= 0) {
      // Like django-redis: an expired add() stores nothing and reports whether the key was free.
      return opts.nx ? !(await this.has(key, opts)) : this.delete(key, opts);
    }
    // Hot path: no closures (bench/cache measures every allocation); the batcher sends this turn's
    // writes as one command. An add goes on its own: its script records its outcome for a resend.
    try {
      const stored = opts.nx
        ? await addOnce(this.once, this.writer(), redisKey, encoded, ms)
        : await this.writes.set({ key: redisKey, value: encoded, ms, mode: opts.xx ? 'xx' : 'always' });
      this.runner.succeeded();
      return stored;
    } catch (error) {
      return this.runner.failed(error, opts.nx ? 'SET NX' : 'SET', false);
    } finally {
      this.wrote(redisKey);
    }
  }

  /**
   * Stores `value` only when `key` has none; true when it did. Exactly once: when the connection
   * dies before the reply, the resend returns the first outcome, or the call fails with
   * `OutcomeUnknownError` (see `OnceScript`).
   */
  async add(key: string, value: unknown, timeout?: number | null, opts: VersionOpts = {}): Promise<boolean> {
    checkKey('add', key, this.alias);
    return this.set(key, value, timeout, { ...opts, nx: true });
  }

  /**
   * The value of `key`; when there is none, stores `value` (or what the function returns) with
   * `add` and returns what the cache holds then. Concurrent calls for one key in this process run
   * the function once and share its result. `lock` extends that to every process sharing the cache
   * (one runs the function, the others wait for its value); `refreshAhead` (seconds) refreshes a
   * hit about to expire in the background. Both default to the cache's `options.getOrSet`.
   */
  getOrSet<T>(
    key: string,
    value: Producer<T>,
    timeout?: number | null,
    opts: GetOrSetCallOptions = {},
  ): Promise<T> {
    try {
      this.keyOf('getOrSet', key, opts.version);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.getOrSetFlights.run(key, value, timeout, opts);
  }

  /** The values of the keys that exist, by the user's key. */
  async getMany(keys: string[], opts: VersionOpts = {}): Promise<Record<string, unknown>> {
    if (checkKeys('getMany', keys, this.alias).length === 0) return {};
    const redisKeys = keys.map((key) => this.keyOf('getMany', key, opts.version));
    const stored = await this.run('MGET', [], () =>
      this.near === undefined ? mgetAcross(this.reader(redisKeys), redisKeys) : this.nearGetMany(redisKeys),
    );
    const found: Record<string, unknown> = {};
    stored.forEach((bytes, i) => {
      const key = keys[i] as string;
      if (bytes !== null) found[key] = this.codec.decode(key, bytes);
    });
    return found;
  }

  /** Stores every entry with one command; returns the keys that could not be stored. */
  async setMany(
    entries: Record<string, unknown>,
    timeout?: number | null,
    opts: VersionOpts = {},
  ): Promise<string[]> {
    const keys = Object.keys(checkEntries('setMany', entries, this.alias));
    checkVersion('setMany', opts.version, this.alias);
    if (keys.length === 0) return [];
    const encoded = keys.map((key) => this.codec.encode(key, entries[key]));
    const written = keys.map((key) => this.makeKey(key, opts.version));
    for (const redisKey of written) this.wrote(redisKey);
    const ms = timeoutMs(timeout, this.defaultTimeout, this.context());
    if (ms !== null && ms <= 0) {
      await this.deleteMany(keys, opts);
      return [];
    }
    const requests = keys.map((_, i) => ({
      key: written[i] as string,
      value: encoded[i] as string | Buffer,
      ms,
      mode: 'always' as const,
    }));
    const stored = await this.afterWrite(
      written,
      this.run('SET (batch)', null, () => this.writes.setMany(requests)),
    );
    return stored === null ? keys : keys.filter((_, i) => stored[i] !== true);
  }

  /** Deletes `key`; true when it existed. */
  async delete(key: string, opts: VersionOpts = {}): Promise<boolean> {
    const redisKey = this.keyOf('delete', key, opts.version);
    this.wrote(redisKey);
    return (
      (await this.afterWrite(
        [redisKey],
        this.run('DEL', 0, () => this.writer().del(redisKey)),
      )) > 0
    );
  }

  /** Deletes the keys; returns how many existed. */
  async deleteMany(keys: string[], opts: VersionOpts = {}): Promise<number> {
    if (checkKeys('deleteMany', keys, this.alias).length === 0) return 0;
    const redisKeys = keys.map((key) => this.keyOf('deleteMany', key, opts.version));
    for (const redisKey of redisKeys) this.wrote(redisKey);
    return this.afterWrite(
      redisKeys,
      this.run('DEL', 0, () => deleteAcross(this.writer(), redisKeys)),
    );
  }

  /** True when `key` exists. */
  async has(key: string, opts: VersionOpts = {}): Promise<boolean> {
    const redisKey = this.keyOf('has', key, opts.version);
    const near = this.near;
    if (near !== undefined) {
      const held = near.peek(redisKey) ?? (await this.run('GET', null, () => this.nearFetch(redisKey)));
      return held !== null;
    }
    return (await this.run('EXISTS', 0, () => this.reader(redisKey).exists(redisKey))) === 1;
  }

  /**
   * Adds `delta` (an integer, default 1) to the integer at `key`, keeping its TTL, and returns the
   * result. `KeyNotFoundError` when the key does not exist, `ValueNotIntegerError` when it holds
   * something other than a number.
   */
  async incr(key: string, delta = 1, opts: VersionOpts = {}): Promise<number> {
    const redisKey = this.keyOf('incr', key, opts.version);
    this.wrote(redisKey);
    return this.afterWrite([redisKey], this.counters.incr(key, redisKey, delta));
  }

  /** Subtracts `delta` (default 1); see `incr`. */
  async decr(key: string, delta = 1, opts: VersionOpts = {}): Promise<number> {
    checkKey('decr', key, this.alias);
    return this.incr(key, -delta, opts);
  }

  /**
   * Gives `key` a new timeout in seconds (default: the cache's; `null` = forever). True when the
   * key exists.
   */
  async touch(key: string, timeout?: number | null, opts: VersionOpts = {}): Promise<boolean> {
    const redisKey = this.keyOf('touch', key, opts.version);
    const ms = timeoutMs(timeout, this.defaultTimeout, this.context());
    this.wrote(redisKey);
    const changed = this.afterWrite(
      [redisKey],
      ms === null
        ? this.run('PERSIST', 0, () => this.writer().persist(redisKey))
        : this.run('PEXPIRE', 0, () => this.writer().pexpire(redisKey, ms)),
    );
    return (await changed) === 1;
  }

  /** Seconds `key` has left: `0` when it does not exist, `null` when it never expires. */
  async ttl(key: string, opts: VersionOpts = {}): Promise<number | null> {
    const redisKey = this.keyOf('ttl', key, opts.version);
    const ttl = await this.run('TTL', -2, () => this.reader(redisKey).ttl(redisKey));
    if (ttl === -1) return null;
    return Math.max(ttl, 0);
  }

  /** Makes `key` expire in `timeout` seconds (`0` or negative deletes it). True when it exists. */
  async expire(key: string, timeout: number, opts: VersionOpts = {}): Promise<boolean> {
    checkKey('expire', key, this.alias);
    if (typeof timeout !== 'number') {
      throw new InvalidCacheArgumentError(
        { problem: `Invalid expire timeout ${String(timeout)}`, fix: 'Pass seconds as a number' },
        this.context(),
      );
    }
    return this.touch(key, timeout, opts);
  }

  /** Removes the timeout of `key`. True when it exists. */
  async persist(key: string, opts: VersionOpts = {}): Promise<boolean> {
    checkKey('persist', key, this.alias);
    return this.touch(key, null, opts);
  }

  /** The user keys matching the glob `pattern` at the version (by SCAN, never KEYS). */
  async keys(pattern: string, opts: VersionOpts = {}): Promise<string[]> {
    const found: string[] = [];
    for await (const key of this.iterKeys(pattern, opts)) found.push(key);
    return found;
  }

  /** The user keys matching the glob `pattern`, streamed by SCAN on the read client. */
  iterKeys(pattern: string, opts: VersionOpts = {}): AsyncIterable<string> {
    checkKey('iterKeys', pattern, this.alias, 'pattern');
    return this.keySpace.iterKeys(
      pattern,
      checkVersion('iterKeys', opts.version, this.alias) ?? this.version,
    );
  }

  /** Deletes the keys matching the glob `pattern` at the version, in SCAN batches; returns how many. */
  async deletePattern(pattern: string, opts: VersionOpts = {}): Promise<number> {
    checkKey('deletePattern', pattern, this.alias, 'pattern');
    const version = checkVersion('deletePattern', opts.version, this.alias) ?? this.version;
    this.recentWrites?.wroteEverything();
    this.near?.flush();
    return this.afterWrite('all', this.keySpace.deletePattern(pattern, version));
  }

  /**
   * Deletes every version of this cache's keys and nothing else, by SCAN + UNLINK: prefix `dj`
   * leaves `dj:bi:1:x` and keys of other applications alone. With a custom `keyFunction`, deletes
   * what `keyFunction('*', prefix, version)` matches at the cache's version.
   */
  clear(): Promise<void> {
    this.recentWrites?.wroteEverything();
    this.near?.flush();
    return this.afterWrite('all', this.keySpace.clear(this.version));
  }

  /** A lock named `name` (a cache key) on the master; see `Lock`. Times in seconds. */
  lock(name: string, options: LockOptions & VersionOpts = {}): Lock {
    return new Lock(
      () => this.writer(),
      name,
      this.keyOf('lock', name, options.version),
      options,
      this.alias,
      this.once,
    );
  }

  /**
   * Moves `key` from its version to version + `delta`, value and remaining TTL together (one
   * RENAME on the master), and returns the new version. `KeyNotFoundError` when it does not exist.
   */
  async incrVersion(key: string, delta = 1, opts: VersionOpts = {}): Promise<number> {
    const from = this.keyOf('incrVersion', key, opts.version);
    const version = opts.version ?? this.version;
    // A bad delta is the counters' to name; it must not surface as a bad version here first.
    const to = Number.isSafeInteger(delta) ? this.keyOf('incrVersion', key, version + delta) : from;
    this.wrote(from);
    this.wrote(to);
    await this.afterWrite([from, to], this.counters.move(key, from, to, delta));
    return version + delta;
  }

  /** Moves `key` to version − `delta`; see `incrVersion`. */
  async decrVersion(key: string, delta = 1, opts: VersionOpts = {}): Promise<number> {
    checkKey('decrVersion', key, this.alias);
    return this.incrVersion(key, -delta, opts);
  }

  /**
   * The raw ioredis client behind this cache: the master's (default), or with `write: false` the
   * one reads use now (django-redis's `get_client(write=...)`).
   */
  client(options: { write?: boolean } = {}): CacheClient {
    return options.write === false ? this.reader() : this.writer();
  }

  /**
   * The near cache's counts and `clear()` (see `options.nearCache`), or `undefined` when it is off.
   */
  get nearCache(): NearCacheStats | undefined {
    return this.near?.stats;
  }

  /** Releases this cache's connection (the connector closes when no cache uses it any more). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.getOrSetFlights.close();
    this.near?.close();
    await this.onClose?.();
  }

  /** The client for a read of `redisKey` (or keys): the master when this process wrote one lately. */
  private reader(redisKey?: string | string[]): CacheClient {
    const recent = this.recentWrites;
    if (recent !== undefined && redisKey !== undefined) {
      const pending = typeof redisKey === 'string' ? recent.pending(redisKey) : recent.anyPending(redisKey);
      if (pending) return this.writer();
    }
    const client = this.connection.replica(this.readFrom);
    if (client === this.connection.master()) this.writes.flush();
    return client;
  }

  /**
   * The master's client, after the writes the batcher still holds: a command sent next (a delete,
   * an increment, a read from the master) reaches Redis after the `set`s issued before it.
   */
  private writer(): CacheClient {
    this.writes.flush();
    return this.connection.master();
  }

  /** The value of `key` and the milliseconds it has left (`-1`: no expiry), in one round trip. */
  private async getWithTtl<T>(
    key: string,
    opts: VersionOpts,
  ): Promise<{ value: T; pttlMs: number } | undefined> {
    const redisKey = this.makeKey(key, opts.version);
    const replies = await this.run('GET + PTTL', null, async () => {
      const results = await this.reader(redisKey).pipeline().getBuffer(redisKey).pttl(redisKey).exec();
      const failed = results?.find(([error]) => error !== null)?.[0];
      if (failed) throw failed;
      return results;
    });
    const stored = replies?.[0]?.[1] as Buffer | null | undefined;
    if (stored === null || stored === undefined) return undefined;
    return { value: this.codec.decode(key, stored) as T, pttlMs: Number(replies?.[1]?.[1] ?? -1) };
  }

  /** This process is writing `redisKey`, or was just answered: reads of it go to the master, its near entry goes. */
  private wrote(redisKey: string): void {
    this.recentWrites?.wrote(redisKey);
    this.near?.drop(redisKey);
  }

  /**
   * `write`, and once it is answered its keys marked written again: a write held through a failover
   * may be acknowledged long after it was sent, and its read-your-writes window must run from then,
   * not from the send; and a read on the near cache's tracking connection may have filled an entry
   * from before the write while it was in flight.
   */
  private afterWrite<R>(keys: string[] | 'all', write: Promise<R>): Promise<R> {
    const { near, recentWrites } = this;
    if (near === undefined && recentWrites === undefined) return write;
    return write.finally(() => {
      if (keys === 'all') {
        recentWrites?.wroteEverything();
        near?.flush();
      } else for (const key of keys) this.wrote(key);
    });
  }

  /** A near-cache miss, after the writes the batcher holds, so it reads them. */
  private nearFetch(redisKey: string): Promise<Buffer | null> {
    this.writes.flush();
    return (this.near as NearCache).fetch(redisKey);
  }

  private nearGetMany(redisKeys: string[]): Promise<(Buffer | null)[]> {
    const near = this.near as NearCache;
    const held = redisKeys.map((redisKey) => near.peek(redisKey));
    const missing = redisKeys.filter((_, i) => held[i] === undefined);
    if (missing.length === 0) return Promise.resolve(held as (Buffer | null)[]);
    this.writes.flush();
    return near.fetchMany(missing).then((fetched) => {
      let next = 0;
      return held.map((value) => (value === undefined ? (fetched[next++] ?? null) : value));
    });
  }

  /** One Redis call through the runner: typed errors, or the fallback under `ignoreExceptions`. */
  private run<R>(command: string, fallback: R, call: () => Promise<R>): Promise<R> {
    return this.runner.run(command, fallback, call);
  }

  private context(): { alias?: string } {
    return this.alias === undefined ? {} : { alias: this.alias };
  }
}

// Spans and metrics for every call, whoever builds the cache; see docs/observability.md.
observeCacheCalls(Cache.prototype);
