import type { SessionData } from 'express-session';
import type { IoredisLike } from './node-redis-shim.js';

/** Turns a session into the stored text and back, as connect-redis's `serializer` does. */
export interface SessionSerializer {
  parse(text: string): unknown;
  stringify(session: SessionData): string;
}

/**
 * What the store needs of a core `Cache`: its key function, its alias for messages, and its
 * master client (`client({ write: true })`, as `getRedisConnection(caches, alias, { write: true })`).
 */
export interface SessionCache {
  makeKey(key: string, version?: number): string;
  readonly alias?: string | undefined;
  client?(options: { write?: boolean }): IoredisLike;
}

/** What the store needs of a caches registry (core's `createCaches`). */
export interface SessionCaches {
  get(alias: string): SessionCache;
}

/** Where failures of reads and writes go. */
export interface SessionStoreLogger {
  warn(message: string, error?: unknown): void;
}

/** `WAIT` after each session write; see the README for what it costs. */
export interface SessionDurability {
  /** How many replicas must acknowledge the write. Required; at least 1. */
  replicas: number;
  /** How long to wait for them, in milliseconds; must be > 0 (Redis's 0 would block forever). */
  timeout: number;
}

interface CommonOptions {
  /** Prepended to the session id before the cache's key function. Default: `'sess:'`. */
  prefix?: string;
  /**
   * Seconds a session lives when its cookie has no expiry (or a function of the session that
   * returns seconds). Default: 86400 (one day).
   */
  ttl?: number | ((session: SessionData) => number);
  /** Skip the `EXPIRE` that express-session's `touch` sends on unmodified sessions. Default: false. */
  disableTouch?: boolean;
  /** Stored form of a session. Default: `JSON` (what connect-redis stores). */
  serializer?: SessionSerializer;
  /**
   * What reads and writes do when Redis fails: `'fail'` hands the error to express-session (a 500),
   * `'miss'` serves the request with a fresh session and drops the write, logged once per burst.
   * `destroy` and the bulk operations fail either way. Default: `'fail'`.
   */
  onError?: 'fail' | 'miss';
  /**
   * Wait for replicas after each session write; refused on a Redis Cluster alias
   * (`UnsupportedLocationError`). Default: none (no `WAIT`).
   */
  durability?: SessionDurability;
  /** Keys SCAN looks at per call in `ids`/`length`/`all`/`clear`. Default: 100. */
  scanCount?: number;
  /** Default: `console`. */
  logger?: SessionStoreLogger;
}

/** Store options with a caches registry: sessions live in the alias's cache (`SESSION_CACHE_ALIAS`). */
export interface SessionStoreCachesOptions extends CommonOptions {
  caches: SessionCaches;
  /** The cache alias that holds sessions. Default: `'default'`. */
  alias?: string;
}

/** Store options with one cache (core's `createCache`, or `caches.get(alias)`). */
export interface SessionStoreCacheOptions extends CommonOptions {
  cache: SessionCache;
  /** The client sessions use. Default: the cache's master client, `cache.client({ write: true })`. */
  client?: IoredisLike;
}

export type SentinelSessionStoreOptions = SessionStoreCachesOptions | SessionStoreCacheOptions;
