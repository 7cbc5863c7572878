import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidCacheArgumentError, LockNotOwnedError, LockTimeoutError } from '../errors.js';
import type { CacheClient } from './cache-client.js';
import { toCacheError } from './cache-failures.js';
import type { OnceScript } from './once-script.js';

// The token comparisons run inside Redis so a lock that expired and was taken by someone else is
// never released or extended by its previous holder (redis-py's Lock scripts). Release and extend
// record their outcome under the call's record (KEYS[2], see OnceScript): a release that applied
// before its reply was lost would otherwise answer its own resend "not held".
const RELEASE = `local done = redis.call('get', KEYS[2])
if done then return tonumber(done) end
local result = 0
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  result = 1
end
redis.call('set', KEYS[2], result, 'px', ARGV[2])
return result`;

// SET NX that also succeeds when the lock already holds this token: ioredis resends a command whose
// connection died before its reply, and a plain SET NX that applied the first time would then say
// "held" while the lock is ours (and, without a timeout, held for ever).
const ACQUIRE = `if redis.call('get', KEYS[1]) == ARGV[1] then return 1 end
if ARGV[2] == '' then
  if redis.call('set', KEYS[1], ARGV[1], 'nx') then return 1 end
elseif redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2], 'nx') then return 1 end
return 0`;

// A resend of an extension that applied would otherwise add the time twice.
const EXTEND = `local done = redis.call('get', KEYS[2])
if done then return tonumber(done) end
local result = 0
local expiration = redis.call('pttl', KEYS[1])
if redis.call('get', KEYS[1]) == ARGV[1] and expiration >= 0 then
  local ttl = tonumber(ARGV[2])
  if ARGV[3] == '0' then ttl = ttl + expiration end
  redis.call('pexpire', KEYS[1], ttl)
  result = 1
end
redis.call('set', KEYS[2], result, 'px', ARGV[4])
return result`;

/** How a lock behaves; all times in seconds, as in redis-py's `Lock` that django-redis hands out. */
export interface LockOptions {
  /** Seconds after which Redis frees the lock even if never released; `null` = never. Default: null. */
  timeout?: number | null;
  /** Seconds `acquire()` waits for a held lock; `null` = without limit. Default: null. */
  blockingTimeout?: number | null;
  /** Seconds between two attempts while waiting. Default: 0.1 s. */
  sleep?: number;
  /** `false` makes `acquire()` try once and return. Default: true. */
  blocking?: boolean;
}

const seconds = (
  name: string,
  value: number | null | undefined,
  alias: string | undefined,
): number | null => {
  if (value === undefined || value === null) return null;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidCacheArgumentError(
      { problem: `Invalid lock "${name}" ${value}`, fix: 'Pass a positive number of seconds, or null' },
      alias === undefined ? {} : { alias },
    );
  }
  return value;
};

/**
 * A lock on the master, held by a random token: `acquire`, `release` (only by the holder, atomic),
 * `extend`, `using(fn)`. Each applies once although ioredis resends a call whose connection died:
 * acquisition accepts its own token, release and extension return their recorded first outcome.
 * Like redis-py's, it is as safe as one master: a failover that loses the last writes can lose the
 * lock key.
 */
export class Lock {
  private token: string | undefined;
  private readonly timeout: number | null;
  private readonly blockingTimeout: number | null;
  private readonly sleepSeconds: number;
  private readonly blocking: boolean;

  constructor(
    private readonly client: () => CacheClient,
    /** The lock's name as given to `cache.lock()`. */
    readonly name: string,
    /** The Redis key that holds the token. */
    readonly redisKey: string,
    options: LockOptions,
    private readonly alias: string | undefined,
    /** Runs release and extension so that a resend returns the first outcome. */
    private readonly once: OnceScript,
  ) {
    this.timeout = seconds('timeout', options.timeout, alias);
    this.blockingTimeout = seconds('blockingTimeout', options.blockingTimeout, alias);
    this.sleepSeconds = seconds('sleep', options.sleep, alias) ?? 0.1;
    this.blocking = options.blocking ?? true;
  }

  /** Takes the lock; false when it stays held by someone else past `blockingTimeout`. */
  async acquire(options: Pick<LockOptions, 'blocking' | 'blockingTimeout'> = {}): Promise<boolean> {
    const blocking = options.blocking ?? this.blocking;
    const limit =
      options.blockingTimeout === undefined
        ? this.blockingTimeout
        : seconds('blockingTimeout', options.blockingTimeout, this.alias);
    const deadline = limit === null ? Number.POSITIVE_INFINITY : Date.now() + limit * 1000;
    const token = randomUUID();
    const ttl = this.timeout === null ? '' : Math.ceil(this.timeout * 1000);
    for (;;) {
      const reply = await this.call('SET', (client) => client.eval(ACQUIRE, 1, this.redisKey, token, ttl));
      if (reply === 1) {
        this.token = token;
        return true;
      }
      if (!blocking || Date.now() + this.sleepSeconds * 1000 > deadline) return false;
      await sleep(this.sleepSeconds * 1000);
    }
  }

  /** Frees the lock; `LockNotOwnedError` when this holder no longer owns it. */
  async release(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    if (token === undefined) throw new LockNotOwnedError(this.name, 'release', this.context());
    const released = await this.call('EVAL', (client) =>
      this.once.run(client, RELEASE, [this.redisKey], [token]),
    );
    if (released !== 1) throw new LockNotOwnedError(this.name, 'release', this.context());
  }

  /**
   * Adds `additionalTime` seconds to the lock's remaining time, or sets it to that with
   * `replaceTtl`. Fails with `LockNotOwnedError` when not held, and for a lock without `timeout`.
   */
  async extend(additionalTime: number, options: { replaceTtl?: boolean } = {}): Promise<void> {
    const extra = seconds('additionalTime', additionalTime, this.alias) ?? 0;
    if (this.timeout === null) throw new LockNotOwnedError(this.name, 'extend', this.context(), true);
    if (this.token === undefined) throw new LockNotOwnedError(this.name, 'extend', this.context());
    const ms = Math.ceil(extra * 1000);
    const token = this.token;
    const replace = options.replaceTtl ? '1' : '0';
    const done = await this.call('EVAL', (client) =>
      this.once.run(client, EXTEND, [this.redisKey], [token, ms, replace]),
    );
    if (done !== 1) throw new LockNotOwnedError(this.name, 'extend', this.context());
  }

  /** True when anyone holds the lock now. */
  async locked(): Promise<boolean> {
    return (await this.call('EXISTS', (client) => client.exists(this.redisKey))) === 1;
  }

  /** True when this holder's token is the one stored. */
  async owned(): Promise<boolean> {
    const token = this.token;
    return token !== undefined && (await this.call('GET', (client) => client.get(this.redisKey))) === token;
  }

  /** Runs `fn` holding the lock and releases it after; `LockTimeoutError` when it cannot be taken. */
  async using<T>(fn: () => T | Promise<T>): Promise<T> {
    if (!(await this.acquire())) {
      throw new LockTimeoutError(
        this.name,
        this.blocking ? (this.blockingTimeout ?? 0) : null,
        this.context(),
      );
    }
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  /** Runs one Redis call on the master, surfacing driver failures as the cache's typed errors. */
  private async call<T>(command: string, run: (client: CacheClient) => Promise<T>): Promise<T> {
    try {
      return await run(this.client());
    } catch (error) {
      throw toCacheError(error, `${command} (lock "${this.name}")`, this.alias);
    }
  }

  private context(): { alias?: string } {
    return this.alias === undefined ? {} : { alias: this.alias };
  }
}
