import { randomUUID } from 'node:crypto';
import type { CacheClient } from './cache-client.js';

// The value if there is one, else the lock if it is free: one round trip for a waiter's check, and
// no gap in which a holder could store and release between a waiter's read and its attempt.
// A lock that already holds this token is ours: ioredis resends a command whose connection died
// before its reply, and the first attempt may have applied.
const READ_OR_ACQUIRE = `local value = redis.call('get', KEYS[1])
if value then return value end
if redis.call('get', KEYS[2]) == ARGV[1] then return 1 end
if redis.call('set', KEYS[2], ARGV[1], 'px', ARGV[2], 'nx') then return 1 end
return 0`;

const ACQUIRE = `if redis.call('get', KEYS[1]) == ARGV[1] then return 1 end
if redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2], 'nx') then return 1 end
return 0`;

// Frees the lock only for its holder (a lock that lapsed and was taken by another stays theirs),
// then tells the waiters, who read the key again whether or not a value was stored.
const RELEASE_AND_NOTIFY = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
redis.call('publish', ARGV[2], '1')
return 1`;

/** What one look at a locked fill found. */
export type FillState = { found: Buffer } | 'acquired' | 'held';

/**
 * The Redis side of one `getOrSet` fill lock: the lock key beside the cache key, held by a random
 * token for `timeoutMs`, and the pub/sub channel its holder announces a release on. Channels are
 * not keys, so waiting adds nothing to the key space and costs no command per waiter.
 */
export class FillLock {
  readonly lockKey: string;
  readonly channel: string;
  private readonly token = randomUUID();

  constructor(
    private readonly master: () => CacheClient,
    /** The Redis key being filled. */
    readonly redisKey: string,
    /** Milliseconds the lock lives when its holder never releases it. */
    private readonly timeoutMs: number,
  ) {
    this.lockKey = `${redisKey}:fill-lock`;
    this.channel = `sentinel-kit:fill:${redisKey}`;
  }

  /** The stored bytes, or the lock taken, or neither (someone else holds it). */
  async readOrAcquire(): Promise<FillState> {
    const reply = (await this.master().callBuffer(
      'EVAL',
      READ_OR_ACQUIRE,
      2,
      this.redisKey,
      this.lockKey,
      this.token,
      this.timeoutMs,
    )) as Buffer | number;
    if (Buffer.isBuffer(reply)) return { found: reply };
    return reply === 1 ? 'acquired' : 'held';
  }

  /** Takes the lock if it is free, without reading the key (a refresh already has the value). */
  async acquire(): Promise<boolean> {
    return (await this.master().eval(ACQUIRE, 1, this.lockKey, this.token, this.timeoutMs)) === 1;
  }

  /** Frees the lock if this holder still has it and wakes the waiters. */
  async release(): Promise<void> {
    await this.master().eval(RELEASE_AND_NOTIFY, 1, this.lockKey, this.token, this.channel);
  }
}
