import { BurstLog, escapeGlob, SentinelKitError, UnsupportedLocationError } from '@sentinel-kit/core';
import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { InvalidSessionStoreOptionError, SessionDurabilityError, SessionStoreError } from './errors.js';
import { type IoredisLike, NodeRedisShim } from './node-redis-shim.js';
import { guardedSerializer, UnreadableSession } from './session-shape.js';
import type {
  SentinelSessionStoreOptions,
  SessionCache,
  SessionDurability,
  SessionStoreLogger,
} from './types.js';

/** express-session's callbacks, typed per answer (connect-redis types them all as `any`). */
type Callback<T = unknown> = (err: unknown, data?: T) => void;

/** Operations that `onError: 'miss'` turns into "no session" / "not saved". */
const MISSABLE = new Set(['get', 'set', 'touch']);

/**
 * Core's burst log (the first failure of a burst, then one recovery line) on this store's logger,
 * whose second argument is an error: the recovery line goes out alone, without core's `{ failures }`.
 */
function burstLog(logger: SessionStoreLogger, subject: string): BurstLog {
  return new BurstLog(
    {
      warn: (message, details) =>
        details instanceof Error ? logger.warn(message, details) : logger.warn(message),
    },
    (failures) => `${subject} recovered after ${failures} failed operation(s).`,
  );
}

/**
 * The stored key of a session is `cache.makeKey(prefix + sid)`. The bulk operations read ids back
 * from scanned keys, which works only when the key function ends the key with what it was given
 * (Django's default `<keyPrefix>:<version>:<key>` does); anything else is refused up front.
 */
function sessionKeyBase(cache: SessionCache, prefix: string, alias: string | undefined): string {
  const base = cache.makeKey(prefix);
  const probe = 'sid-probe-7f3a';
  const probed = cache.makeKey(prefix + probe);
  if (probed !== base + probe) {
    throw new InvalidSessionStoreOptionError(
      'cache.keyFunction',
      `the cache's key function turns "${prefix}${probe}" into "${probed}", not "${base}${probe}", so session ids ` +
        'cannot be read back from stored keys. Use a keyFunction that ends the key with the key it is given, ' +
        'like the default "<keyPrefix>:<version>:<key>".',
      { alias },
    );
  }
  return base;
}

function resolveBackend(options: SentinelSessionStoreOptions): {
  cache: SessionCache;
  client: IoredisLike;
  alias: string | undefined;
} {
  let cache: SessionCache | undefined;
  let alias: string | undefined;
  if ('caches' in options && options.caches !== undefined) {
    alias = options.alias ?? 'default';
    cache = options.caches.get(alias);
  } else if ('cache' in options && options.cache !== undefined) {
    cache = options.cache;
    alias = cache.alias;
  }
  if (cache === undefined) {
    throw new InvalidSessionStoreOptionError(
      'caches',
      'give either { caches, alias } (a caches registry and the alias that holds sessions) or { cache }.',
    );
  }
  // The master, whatever the cache's readFrom: a login followed by a redirect must read its own write.
  const client = ('client' in options ? options.client : undefined) ?? cache.client?.({ write: true });
  if (client === undefined) {
    throw new InvalidSessionStoreOptionError(
      'client',
      'this cache has no client({ write: true }); pass a core Cache, or the master client as "client".',
      { alias },
    );
  }
  return { cache, client, alias };
}

function validate(
  options: SentinelSessionStoreOptions,
  alias: string | undefined,
  client: IoredisLike,
): void {
  const { ttl, durability, onError, scanCount, prefix } = options;
  // WAIT counts the replicas of the node it is sent to, and a cluster client sends a keyless
  // command to any node: it would wait on another shard than the one that took the write.
  if (durability !== undefined && client.isCluster === true) {
    throw new UnsupportedLocationError('the session store option "durability"', 'cluster', { alias });
  }
  const bad = (option: string, problem: string) =>
    new InvalidSessionStoreOptionError(option, problem, { alias });
  if (prefix !== undefined && typeof prefix !== 'string')
    throw bad('prefix', 'expected a string such as "sess:".');
  if (typeof ttl === 'number' && !(Number.isFinite(ttl) && ttl > 0)) {
    throw bad('ttl', `expected a number of seconds > 0, got ${ttl}.`);
  }
  if (onError !== undefined && onError !== 'fail' && onError !== 'miss') {
    throw bad('onError', `expected "fail" or "miss", got ${JSON.stringify(onError)}.`);
  }
  if (scanCount !== undefined && !(Number.isInteger(scanCount) && scanCount > 0)) {
    throw bad('scanCount', `expected an integer > 0, got ${scanCount}.`);
  }
  if (durability !== undefined) {
    if (!(Number.isInteger(durability.replicas) && durability.replicas >= 1)) {
      throw bad('durability.replicas', `expected an integer >= 1, got ${durability.replicas}.`);
    }
    if (!(Number.isInteger(durability.timeout) && durability.timeout > 0)) {
      throw bad(
        'durability.timeout',
        `expected milliseconds as an integer > 0 (Redis's WAIT 0 would block forever), got ${durability.timeout}.`,
      );
    }
  }
}

/**
 * An express-session store on Redis Sentinel: connect-redis 9's `RedisStore` fed the master
 * client of a cache alias through {@link NodeRedisShim}, so sessions follow the current master
 * through failovers, keys go through the cache's key function, and reads never touch replicas.
 */
export class SentinelSessionStore extends RedisStore {
  /** The cache alias sessions live in, when known; named in errors. */
  readonly alias: string | undefined;
  /** The stored key of session id `x` is `keyBase + x`, e.g. `dj:1:sess:x`. */
  readonly keyBase: string;
  private readonly redis: IoredisLike;
  private readonly shim: NodeRedisShim;
  private readonly onError: 'fail' | 'miss';
  private readonly durability: SessionDurability | undefined;
  private readonly logger: SessionStoreLogger;
  private readonly burst: BurstLog;
  private readonly replicationBurst: BurstLog;
  private readonly parser: ReturnType<typeof guardedSerializer>;

  constructor(options: SentinelSessionStoreOptions) {
    const { cache, client, alias } = resolveBackend(options);
    validate(options, alias, client);
    const keyBase = sessionKeyBase(cache, options.prefix ?? 'sess:', alias);
    const parser = guardedSerializer(options.serializer ?? JSON);
    const shim = new NodeRedisShim(client);
    super({
      client: shim,
      prefix: keyBase,
      ttl: options.ttl ?? 86_400,
      disableTouch: options.disableTouch ?? false,
      scanCount: options.scanCount ?? 100,
      // connect-redis passes parse()'s answer through; get() and all() below sort out UnreadableSession.
      serializer: parser as unknown as NonNullable<ConstructorParameters<typeof RedisStore>[0]['serializer']>,
    });
    this.alias = alias;
    this.keyBase = keyBase;
    this.redis = client;
    this.shim = shim;
    this.parser = parser;
    this.onError = options.onError ?? 'fail';
    this.durability = options.durability;
    this.logger = options.logger ?? console;
    this.burst = burstLog(this.logger, 'Session store');
    this.replicationBurst = burstLog(this.logger, 'Session replication');
  }

  override get(sid: string, cb?: Callback<SessionData | null>): Promise<unknown> {
    return this.run<SessionData | null>('get', cb, null, async () => {
      const found: SessionData | UnreadableSession | null = await super.get(sid);
      if (!(found instanceof UnreadableSession)) return found;
      this.logger.warn(`Session ${this.keyBase}${sid} ${found.reason}; treated as no session.`);
      return null;
    });
  }

  override set(sid: string, session: SessionData, cb?: Callback): Promise<unknown> {
    return this.run('set', cb, null, async () => {
      await super.set(sid, session);
      if (this.durability !== undefined) await this.waitForReplicas(this.durability);
      return null;
    });
  }

  override touch(sid: string, session: SessionData, cb?: Callback): Promise<unknown> {
    return this.run('touch', cb, null, () => super.touch(sid, session));
  }

  override destroy(sid: string, cb?: Callback): Promise<unknown> {
    return this.run('destroy', cb, null, () => super.destroy(sid));
  }

  /**
   * Removes this store's sessions page by page with UNLINK (on a cluster, of every master, per
   * slot); other keys in the db stay.
   */
  override clear(cb?: Callback): Promise<unknown> {
    return this.run('clear', cb, null, async () => {
      for await (const keys of this.ownKeyPages()) await this.shim.unlink(keys);
      return null;
    });
  }

  override length(cb?: Callback<number>): Promise<unknown> {
    return this.run('length', cb, 0, async () => (await this.ownIds()).length);
  }

  override ids(cb?: Callback<string[]>): Promise<unknown> {
    return this.run<string[]>('ids', cb, [], () => this.ownIds());
  }

  /** Every readable session of this store, each with its `id`; unreadable ones are skipped and logged. */
  override all(cb?: Callback<(SessionData & { id: string })[]>): Promise<unknown> {
    return this.run<(SessionData & { id: string })[]>('all', cb, [], async () => {
      const ids = await this.ownIds();
      const sessions: (SessionData & { id: string })[] = [];
      for (let i = 0; i < ids.length; i += this.scanCount) {
        const chunk = ids.slice(i, i + this.scanCount);
        const raws = await this.shim.mGet(chunk.map((id) => this.keyBase + id));
        for (const [j, raw] of raws.entries()) {
          if (raw === null) continue;
          const id = chunk[j] as string;
          const parsed = await this.parser.parse(raw);
          if (parsed instanceof UnreadableSession) {
            this.logger.warn(`Session ${this.keyBase}${id} ${parsed.reason}; skipped.`);
            continue;
          }
          sessions.push({ ...parsed, id });
        }
      }
      return sessions;
    });
  }

  private async *ownKeyPages(): AsyncGenerator<string[]> {
    for await (const page of this.shim.scanIterator({
      MATCH: `${escapeGlob(this.keyBase)}*`,
      COUNT: this.scanCount,
    })) {
      yield page;
    }
  }

  private async ownIds(): Promise<string[]> {
    const ids = new Set<string>();
    for await (const keys of this.ownKeyPages()) {
      for (const key of keys) ids.add(key.slice(this.keyBase.length));
    }
    return [...ids];
  }

  private async waitForReplicas({ replicas, timeout }: SessionDurability): Promise<void> {
    const acknowledged = Number(await this.redis.call('WAIT', replicas, timeout));
    if (acknowledged >= replicas) {
      this.replicationBurst.succeeded();
      return;
    }
    this.replicationBurst.failed(
      'Session writes not replicated in time; they stand on the master (logged once until replication is back).',
      new SessionDurabilityError(acknowledged, replicas, timeout, { alias: this.alias }),
    );
  }

  /**
   * Runs one operation, types its error, applies `onError`, and answers through the callback
   * express-session passed or through the returned promise when there is none.
   */
  private async run<T>(operation: string, cb: Callback<T> | undefined, missValue: T, body: () => Promise<T>) {
    let value: T;
    try {
      value = await body();
      this.burst.succeeded();
    } catch (error) {
      const typed =
        error instanceof SentinelKitError
          ? error
          : new SessionStoreError(operation, error, { alias: this.alias });
      if (this.onError === 'miss' && MISSABLE.has(operation)) {
        this.burst.failed(
          `Session ${operation} failed; serving without the session store (onError: "miss").`,
          typed,
        );
        value = missValue;
      } else {
        if (cb) return cb(typed);
        throw typed;
      }
    }
    return cb ? cb(null, value) : value;
  }
}
