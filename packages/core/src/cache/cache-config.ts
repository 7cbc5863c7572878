import type { ConnectorLogger, ConnectorOptions } from '../connector/connector-options.js';

/**
 * Turns values into bytes and back, like a django-redis serializer (`dumps`/`loads`). `dumps` throws
 * for a value it cannot represent faithfully; the cache wraps that in a `SerializationError`.
 */
export interface Serializer {
  /** A short name for messages, such as `json`. */
  readonly name: string;
  /** The stored form: bytes, or text that Redis stores as its UTF-8. */
  dumps(value: unknown): string | Buffer;
  loads(bytes: Buffer): unknown;
}

/**
 * Shrinks serialized bytes, like a django-redis compressor. `compress` may hand back its input
 * (values at or under the minimum size stay plain); `decompress` returns `undefined` for bytes that
 * are not its container, so plain values read back as they are, as django-redis does.
 */
export interface Compressor {
  /** A short name for messages, such as `zlib`. */
  readonly name: string;
  compress(bytes: Buffer): Buffer;
  decompress(bytes: Buffer): Buffer | undefined;
}

/** Builds the Redis key from the user's key; Django's `KEY_FUNCTION`. */
export type KeyFunction = (key: string, keyPrefix: string, version: number) => string;

/**
 * The `OPTIONS` of one `CACHES` entry. Credentials, timeouts (milliseconds), `readFrom`, `tls`,
 * `natMap` and the failover tuning are the connector's options, taken by reference and documented
 * once, in `ConnectorOptions`.
 */
export interface CacheOptions extends Omit<ConnectorOptions, 'location' | 'alias' | 'logger'> {
  /** How non-integer values become bytes. Default: `'json'` (django-redis's JSONSerializer format). */
  serializer?: 'json' | 'msgpack' | Serializer;
  /** How serialized bytes are shrunk. Default: `'none'`. */
  compressor?: 'none' | 'zlib' | 'gzip' | 'brotli' | 'zstd' | Compressor;
  /**
   * Serialized values of at most this many bytes are stored uncompressed (django-redis's
   * `min_length`). Default: 15 bytes. Ignored for a custom `Compressor` object.
   */
  compressMinLength?: number;
  /**
   * Turn connection failures into misses (`get` returns the default) and no-ops (`set` returns
   * false), logged once per burst, as django-redis's `IGNORE_EXCEPTIONS`. Programming errors (bad
   * arguments, values that cannot be serialized, WRONGTYPE) still throw. Default: false.
   */
  ignoreExceptions?: boolean;
  /**
   * Receives the once-per-burst warning of `ignoreExceptions` (and the connector's lines). Default:
   * `console` for the cache's warning; the connector logs nowhere unless given one.
   */
  logger?: ConnectorLogger;
  /**
   * Milliseconds after this process writes a key (`set`, `add`, `setMany`, `delete`, `incr`,
   * `touch`, …) during which its reads of that key (`get`, `getMany`, `has`, `ttl`) go to the
   * master whatever `readFrom` says, so a write is read back even before a replica has it (what
   * cache-manager's `wrap` with `refreshThreshold` expects). Costs nothing when reads already go to
   * the master or the location is one server. `0` turns it off. Default: 1000 ms.
   */
  readYourWrites?: number;
  /** What every `getOrSet` call of this cache does unless the call says otherwise. Default: `{}` (no lock, no refresh ahead). */
  getOrSet?: GetOrSetOptions;
  /**
   * Answer `get`, `getMany` and `has` from this process's memory, kept true by Redis
   * (`CLIENT TRACKING`): `true` or near-cache options. Costs two connections of their own to the
   * master per cache; misses read the master whatever `readFrom` says. Refused on a Redis Cluster
   * location (`UnsupportedLocationError`), which has no one master. Default: false (off).
   */
  nearCache?: boolean | NearCacheOptions;
}

/** The near cache's bounds (`options.nearCache: { … }`); `nearCache: true` is `{}`. */
export interface NearCacheOptions {
  /** Entries held at most; the least recently used goes first. Default: 10000. */
  maxEntries?: number;
  /**
   * Bytes held at most, counting each entry's stored value and its key's characters; the least
   * recently used goes first. Default: none (bounded by `maxEntries` only).
   */
  maxBytes?: number;
  /**
   * Seconds an entry is served from memory at most, even when Redis sends no invalidation (fractions
   * allowed). An entry never outlives its key's own TTL in Redis either way. Default: none.
   */
  ttl?: number;
}

/** The cross-process lock of `getOrSet`; times in seconds, as every cache timeout. */
export interface GetOrSetLockOptions {
  /**
   * Seconds the lock lives in Redis: a holder that dies (or whose producer outlasts this) frees it
   * after that long, and a waiter takes over. Default: 10 s.
   */
  timeout?: number;
  /**
   * Seconds a caller waits for the holder's value; when they run out it runs the producer itself.
   * Default: the lock's `timeout`.
   */
  wait?: number;
}

/** How `getOrSet` fills a missing key and refreshes one about to expire. */
export interface GetOrSetOptions {
  /**
   * `true` or lock options: on a miss, one caller across every process sharing the cache runs the
   * producer (holding a lock in Redis) and the others wait for its value and get that same value.
   * `false`: one caller per process runs it. Default: false.
   */
  lock?: boolean | GetOrSetLockOptions;
  /**
   * Seconds: a hit with less than this left to live is refreshed in the background by one caller
   * (under the lock) while every caller gets the current value at once. `0` turns it off.
   * Default: 0 (off).
   */
  refreshAhead?: number;
}

/** One entry of `CACHES`. */
export interface CacheConfig {
  /** A location string: `mymaster/h1:26379,h2:26379/0`, `redis+sentinel://…`, `redis://…`. */
  location: string;
  /** Django's `KEY_PREFIX`. Default: `''`. */
  keyPrefix?: string;
  /** Django's `VERSION`, the default version of every key. Default: 1. */
  version?: number;
  /** Seconds a value lives; `null` = never expires; `0` or negative = not stored. Default: 300 s. */
  timeout?: number | null;
  /** Replaces the key layout `${keyPrefix}:${version}:${key}`. Default: Django's key function. */
  keyFunction?: KeyFunction;
  /**
   * Gives the user's key back from a Redis key for `keys()`/`iterKeys()`, or `undefined` for a key
   * that is not this cache's (Django's `REVERSE_KEY_FUNCTION`). Default: strips
   * `${keyPrefix}:${version}:`; with a custom `keyFunction` and no `reverseKeyFunction`, the Redis
   * key is handed back unchanged.
   */
  reverseKeyFunction?: (redisKey: string, keyPrefix: string, version: number) => string | undefined;
  /** Django's `OPTIONS`. Default: `{}` (every option at its own default). */
  options?: CacheOptions;
}

/** The `version` every key method accepts. */
export interface VersionOpts {
  /** The key's version. Default: the cache's `version`. */
  version?: number;
}
