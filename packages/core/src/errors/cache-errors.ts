/** Errors of the cache layer: commands, keys, values, configuration, locks. */
import { type ErrorContext, type ErrorParts, quoteInput, reasonOf, SentinelKitError } from './base.js';

const IGNORE_EXCEPTIONS_HINT = 'Set the option "ignoreExceptions: true" to treat such failures as misses';

/**
 * A cache command that failed for a connection reason (socket closed, node unreachable, a
 * timeout): the kind `ignoreExceptions` turns into a miss. `cause` holds the driver's error.
 */
export class CacheConnectionError extends SentinelKitError<'ERR_CACHE_CONNECTION'> {
  static readonly code = 'ERR_CACHE_CONNECTION';
  override name = 'CacheConnectionError';
  /**
   * `ignorable`: the cache has `ignoreExceptions` off and the command is one that option turns into
   * a miss; only then does the message suggest it.
   */
  constructor(command: string, options: ErrorContext & { ignorable?: boolean } = {}) {
    const fix = options.ignorable ? IGNORE_EXCEPTIONS_HINT : '';
    const parts = { problem: `Could not run ${command}`, detail: reasonOf(options.cause), fix };
    super('ERR_CACHE_CONNECTION', parts, { alias: options.alias, cause: options.cause });
  }
}

/** Redis refused a cache command for a reason that is not about the connection (WRONGTYPE, OOM). */
export class CacheCommandError extends SentinelKitError<'ERR_CACHE_COMMAND'> {
  static readonly code = 'ERR_CACHE_COMMAND';
  override name = 'CacheCommandError';
  constructor(command: string, context: ErrorContext = {}) {
    const parts = { problem: `Redis refused ${command}`, detail: reasonOf(context.cause) };
    super('ERR_CACHE_COMMAND', parts, context);
  }
}

/** `incr`/`decr`/`incrVersion` on a key that does not exist, as django-redis raises `ValueError`. */
export class KeyNotFoundError extends SentinelKitError<'ERR_KEY_NOT_FOUND'> {
  static readonly code = 'ERR_KEY_NOT_FOUND';
  override name = 'KeyNotFoundError';
  readonly key: string;
  constructor(key: string, redisKey: string, context: ErrorContext = {}) {
    const problem = `Key ${quoteInput(key)} not found (Redis key ${quoteInput(redisKey)})`;
    super('ERR_KEY_NOT_FOUND', { problem, fix: 'Store it with set() or add() first' }, context);
    this.key = key;
  }
}

/** `incr`/`decr` on a stored value that is not a number. */
export class ValueNotIntegerError extends SentinelKitError<'ERR_VALUE_NOT_INTEGER'> {
  static readonly code = 'ERR_VALUE_NOT_INTEGER';
  override name = 'ValueNotIntegerError';
  readonly key: string;
  constructor(key: string, context: ErrorContext = {}) {
    const parts = {
      problem: `Cannot incr/decr key ${quoteInput(key)}`,
      detail: 'the stored value is not a number',
    };
    super('ERR_VALUE_NOT_INTEGER', { ...parts, fix: 'Store a number with set() first' }, context);
    this.key = key;
  }
}

/** A value the serializer cannot store faithfully; `problem` says why. */
export class SerializationError extends SentinelKitError<'ERR_SERIALIZATION'> {
  static readonly code = 'ERR_SERIALIZATION';
  override name = 'SerializationError';
  readonly key: string;
  constructor(key: string, problem: string, context: ErrorContext = {}) {
    const fix = 'Store a value the serializer can represent, or choose another "serializer" option';
    const what = `Cannot serialize the value of key ${quoteInput(key)}`;
    super('ERR_SERIALIZATION', { problem: what, detail: problem, fix }, context);
    this.key = key;
  }
}

/** Stored bytes that neither the compressor nor the serializer can read back; `problem` says why. */
export class DeserializationError extends SentinelKitError<'ERR_DESERIALIZATION'> {
  static readonly code = 'ERR_DESERIALIZATION';
  override name = 'DeserializationError';
  readonly key: string;
  constructor(key: string, problem: string, context: ErrorContext = {}) {
    const fix = 'Check that every writer uses the same "serializer" and "compressor" options';
    const what = `Cannot read the stored value of key ${quoteInput(key)}`;
    super('ERR_DESERIALIZATION', { problem: what, detail: problem, fix }, context);
    this.key = key;
  }
}

/** `caches.get(alias)` with an alias that is not configured; `alias` is the one asked for. */
export class UnknownCacheAliasError extends SentinelKitError<'ERR_UNKNOWN_CACHE_ALIAS'> {
  static readonly code = 'ERR_UNKNOWN_CACHE_ALIAS';
  override name = 'UnknownCacheAliasError';
  constructor(alias: string, known: readonly string[]) {
    const list = known.length === 0 ? 'none' : known.map(quoteInput).join(', ');
    const problem = `Cache alias ${quoteInput(alias)} is not configured (configured aliases: ${list})`;
    const fix = 'Add it to the createCaches() config';
    super('ERR_UNKNOWN_CACHE_ALIAS', { problem, fix, namesAlias: true }, { alias });
  }
}

/** A cache config entry with a value of the wrong kind. */
export class InvalidCacheConfigError extends SentinelKitError<'ERR_INVALID_CACHE_CONFIG'> {
  static readonly code = 'ERR_INVALID_CACHE_CONFIG';
  override name = 'InvalidCacheConfigError';
  constructor(message: ErrorParts | string, context: ErrorContext = {}) {
    super('ERR_INVALID_CACHE_CONFIG', message, context);
  }
}

/** A bad argument to a cache method (a non-integer delta, a NaN timeout). */
export class InvalidCacheArgumentError extends SentinelKitError<'ERR_INVALID_ARGUMENT'> {
  static readonly code = 'ERR_INVALID_ARGUMENT';
  override name = 'InvalidCacheArgumentError';
  constructor(message: ErrorParts | string, context: ErrorContext = {}) {
    super('ERR_INVALID_ARGUMENT', message, context);
  }
}

/** A `CACHES_<ALIAS>_*` environment variable that cannot be read; `problem` says what was expected. */
export class InvalidEnvError extends SentinelKitError<'ERR_INVALID_ENV'> {
  static readonly code = 'ERR_INVALID_ENV';
  override name = 'InvalidEnvError';
  readonly variable: string;
  constructor(variable: string, problem: string, context: ErrorContext = {}) {
    super('ERR_INVALID_ENV', { problem: `Environment variable ${variable}`, detail: problem }, context);
    this.variable = variable;
  }
}

/** A compressor this runtime cannot provide (zstd before Node 22.15); `problem` says why. */
export class CompressorUnavailableError extends SentinelKitError<'ERR_COMPRESSOR_UNAVAILABLE'> {
  static readonly code = 'ERR_COMPRESSOR_UNAVAILABLE';
  override name = 'CompressorUnavailableError';
  constructor(compressor: string, problem: string, context: ErrorContext = {}) {
    const fix = "Choose another \"compressor\" option ('zlib', 'gzip', 'brotli') or pass a Compressor object";
    const what = `Compressor "${compressor}" is unavailable`;
    super('ERR_COMPRESSOR_UNAVAILABLE', { problem: what, detail: problem, fix }, context);
  }
}

/**
 * `lock.release()`/`extend()` by a holder whose token no longer owns the lock, or (`noTimeout`)
 * `extend()` of a lock that has no `timeout`.
 */
export class LockNotOwnedError extends SentinelKitError<'ERR_LOCK_NOT_OWNED'> {
  static readonly code = 'ERR_LOCK_NOT_OWNED';
  override name = 'LockNotOwnedError';
  constructor(name: string, action: string, context: ErrorContext = {}, noTimeout = false) {
    const [detail, fix] = noTimeout
      ? ['it has no "timeout" to extend', 'Give the lock a "timeout" (seconds)']
      : [
          'this Lock does not hold it (never acquired, released, or expired after its "timeout")',
          'Acquire it first, and raise "timeout" (seconds) if the work outlasts it',
        ];
    super(
      'ERR_LOCK_NOT_OWNED',
      { problem: `Cannot ${action} lock ${quoteInput(name)}`, detail, fix },
      context,
    );
  }
}

/** `lock.using(fn)` could not take the lock: held past `blockingTimeout`, or held with `blocking: false`. */
export class LockTimeoutError extends SentinelKitError<'ERR_LOCK_TIMEOUT'> {
  static readonly code = 'ERR_LOCK_TIMEOUT';
  override name = 'LockTimeoutError';
  /** `blockingTimeout` in seconds, or `null` for a lock with `blocking: false` (one attempt). */
  constructor(name: string, blockingTimeout: number | null, context: ErrorContext = {}) {
    const [detail, fix] =
      blockingTimeout === null
        ? ['it is held and "blocking" is false', 'Set "blocking: true" to wait for it, or retry later']
        : [`held for more than ${blockingTimeout} s`, 'Raise "blockingTimeout" (seconds), or retry later'];
    super(
      'ERR_LOCK_TIMEOUT',
      { problem: `Could not acquire lock ${quoteInput(name)}`, detail, fix },
      context,
    );
  }
}

/**
 * `getOrSet` with `lock` could not take or wait for the fill lock of `key`: Redis failed under it
 * (`cause` holds the cache's error). With `ignoreExceptions` such a failure runs the producer without
 * the lock instead.
 */
export class GetOrSetLockError extends SentinelKitError<'ERR_GET_OR_SET_LOCK'> {
  static readonly code = 'ERR_GET_OR_SET_LOCK';
  override name = 'GetOrSetLockError';
  readonly key: string;
  constructor(key: string, context: ErrorContext = {}) {
    const parts = {
      problem: `getOrSet could not take or wait for the lock of key "${key}"`,
      ...(context.cause === undefined ? {} : { detail: reasonOf(context.cause) }),
      fix: 'Check the connection, or set "ignoreExceptions: true" to run the producer without the lock when Redis fails',
    };
    super('ERR_GET_OR_SET_LOCK', parts, context);
    this.key = key;
  }
}
