import type { Cluster } from 'ioredis';
import { isReplyError } from '../connector/ioredis/driver-messages.js';
import { InvalidCacheArgumentError, KeyNotFoundError, ValueNotIntegerError } from '../errors.js';
import { keySlot } from '../shared/key-slot.js';
import { type CacheClient, isCluster } from './cache-client.js';
import type { CommandRunner } from './command-runner.js';
import type { OnceScript } from './once-script.js';
import type { ValueCodec } from './value-codec.js';

// Increment only an existing key, atomically: INCRBY alone would create a missing key at 0,
// and an EXISTS before it could race an expiry (django-redis's script). KEYS[2] is the call's
// record (see OnceScript): a resend of an increment that applied returns its first result.
const INCR_EXISTING = `local done = redis.call('get', KEYS[2])
if done then return done end
if redis.call('exists', KEYS[1]) == 1 then
  local value = redis.call('incrby', KEYS[1], ARGV[1])
  redis.call('set', KEYS[2], value, 'px', ARGV[2])
  return value
end
return false`;

// RENAME with a record (KEYS[3]), so a resend of a move that applied does not find the key gone.
const MOVE = `if redis.call('get', KEYS[3]) then return 1 end
if redis.call('exists', KEYS[1]) == 0 then return 0 end
redis.call('rename', KEYS[1], KEYS[2])
redis.call('set', KEYS[3], '1', 'px', ARGV[1])
return 1`;

/**
 * A version move between two slots of a cluster, which no command or script can span: the value and
 * its remaining TTL copied by DUMP/RESTORE, then the old key deleted. Running it again after a lost
 * reply gives the same result; between the RESTORE and the DEL a reader may find both versions.
 */
async function moveAcrossSlots(client: Cluster, from: string, to: string): Promise<number> {
  const [dump, pttl] = await Promise.all([client.dumpBuffer(from), client.pttl(from)]);
  if (dump === null || pttl === -2) return 0;
  await client.restore(to, Math.max(pttl, 0), dump, 'REPLACE');
  await client.del(from);
  return 1;
}

/** What the counters need of their cache. */
export interface CountersSettings {
  alias: string | undefined;
  codec: ValueCodec;
  runner: CommandRunner;
  /** Runs the scripts so that a resend after a dropped connection does not apply them twice. */
  once: OnceScript;
  master(): CacheClient;
}

/**
 * `incr`/`decr` and the version moves (`incrVersion`), which always run on the master and have no
 * neutral result: even with `ignoreExceptions` they throw. Each applies at most once: a call whose
 * connection died before its reply is resent only in a way its script recognises (`OnceScript`),
 * or fails with `OutcomeUnknownError`.
 */
export class Counters {
  constructor(private readonly settings: CountersSettings) {}

  /**
   * Adds `delta` to the integer at `redisKey` (the user's `key`), keeping its TTL. `KeyNotFoundError`
   * when the key does not exist, `ValueNotIntegerError` when it holds something other than a number.
   */
  async incr(key: string, redisKey: string, delta: number): Promise<number> {
    this.assertDelta(delta, 'incr/decr delta');
    try {
      const { once } = this.settings;
      const reply = await once.run(this.settings.master(), INCR_EXISTING, [redisKey], [delta]);
      if (reply === null) throw new KeyNotFoundError(key, redisKey, this.context());
      return Number(reply);
    } catch (error) {
      if (isReplyError(error) && /not an integer|out of range/.test(error.message)) {
        return this.incrNumber(key, redisKey, delta, error);
      }
      throw this.settings.runner.typed(error, 'INCRBY');
    }
  }

  /**
   * Moves a value from `from` to `to` (its key at another version), value and remaining TTL
   * together, in one RENAME. `KeyNotFoundError` when it does not exist.
   */
  async move(key: string, from: string, to: string, delta: number): Promise<void> {
    this.assertDelta(delta, 'version delta');
    const master = this.settings.master();
    let moved: unknown;
    try {
      moved =
        from === to
          ? await master.exists(from)
          : isCluster(master) && keySlot(from) !== keySlot(to)
            ? await moveAcrossSlots(master, from, to)
            : await this.settings.once.run(master, MOVE, [from, to], []);
    } catch (error) {
      throw this.settings.runner.typed(error, 'RENAME');
    }
    if (moved === 0) throw new KeyNotFoundError(key, from, this.context());
  }

  /** A stored float (or an integer past 64 bits) cannot INCRBY; add in the process, keep the TTL. */
  private async incrNumber(key: string, redisKey: string, delta: number, cause: unknown): Promise<number> {
    const { codec, runner } = this.settings;
    const master = this.settings.master();
    const [stored, pttl] = await Promise.all([master.getBuffer(redisKey), master.pttl(redisKey)]).catch(
      (error: unknown) => {
        throw runner.typed(error, 'GET');
      },
    );
    if (stored === null) throw new KeyNotFoundError(key, redisKey, this.context());
    const current = codec.decode(key, stored);
    if (typeof current !== 'number') throw new ValueNotIntegerError(key, { ...this.context(), cause });
    const next = current + delta;
    const ttl = pttl > 0 ? ['PX', pttl] : [];
    await master.call('SET', [redisKey, codec.encode(key, next), ...ttl]).catch((error: unknown) => {
      throw runner.typed(error, 'SET');
    });
    return next;
  }

  private assertDelta(delta: number, what: string): void {
    if (!Number.isSafeInteger(delta)) {
      throw new InvalidCacheArgumentError(
        { problem: `Invalid ${what} ${delta}`, fix: 'Pass a safe integer' },
        this.context(),
      );
    }
  }

  private context(): { alias?: string } {
    return this.settings.alias === undefined ? {} : { alias: this.settings.alias };
  }
}
