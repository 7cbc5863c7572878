/**
 * The base of every error sentinel-kit throws. `code` is stable across releases, so callers and
 * logs can match on it instead of on the message; `alias` names the cache the failure belongs to
 * when there is one; `cause` keeps the underlying error.
 */
export class SentinelKitError extends Error {
  override name = 'SentinelKitError';
  readonly code: string;
  readonly alias: string | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; alias?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.alias = options.alias;
  }
}

/**
 * A location string that cannot be parsed. The message masks any password it quotes, and no
 * property holds the unmasked input.
 */
export class InvalidLocationError extends SentinelKitError {
  override name = 'InvalidLocationError';
  /** The part of the location that is wrong: `host`, `port`, `db`, `master name`, … */
  readonly part: string;

  constructor(message: string, part: string) {
    super('ERR_INVALID_LOCATION', message);
    this.part = part;
  }
}

/** A sentinel or a data node, as named in error messages. */
export interface NodeAddress {
  host: string;
  port: number;
}

/** One sentinel's failure inside a summary error: which sentinel, and why. */
export interface SentinelAttempt {
  sentinel: NodeAddress;
  cause: Error;
}

const addr = (node: NodeAddress): string =>
  node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`;
const forAlias = (alias: string | undefined): string => (alias === undefined ? '' : ` (cache "${alias}")`);

/**
 * No sentinel answered. Thrown only when every sentinel failed, each after at most `sentinelTimeout`
 * milliseconds; until then one sentinel's failure is an event, not an error.
 */
export class AllSentinelsUnreachableError extends SentinelKitError {
  override name = 'AllSentinelsUnreachableError';
  readonly masterName: string;
  readonly attempts: SentinelAttempt[];

  constructor(
    masterName: string,
    attempts: SentinelAttempt[],
    options: { alias?: string; timeoutMs?: number } = {},
  ) {
    const causes = attempts.map((a) => `${addr(a.sentinel)}: ${a.cause.message}`).join('; ');
    const timeout = options.timeoutMs === undefined ? '' : ` (now ${options.timeoutMs} ms)`;
    super(
      'ERR_ALL_SENTINELS_UNREACHABLE',
      `All sentinels of master "${masterName}" are unreachable${forAlias(options.alias)}: ${causes}. ` +
        `Check the sentinel list in the location string, and raise "sentinelTimeout"${timeout} if they are slow to answer.`,
      { cause: attempts.at(-1)?.cause, alias: options.alias },
    );
    this.masterName = masterName;
    this.attempts = attempts;
  }
}

/** The sentinels answered but none of them monitors a master of that name. */
export class UnknownMasterError extends SentinelKitError {
  override name = 'UnknownMasterError';
  readonly masterName: string;
  readonly sentinels: NodeAddress[];

  constructor(
    masterName: string,
    sentinels: NodeAddress[],
    options: { alias?: string; cause?: unknown } = {},
  ) {
    super(
      'ERR_UNKNOWN_MASTER',
      `No sentinel monitors a master named "${masterName}"${forAlias(options.alias)} ` +
        `(asked ${sentinels.map(addr).join(', ')}). Check the master name in the location string.`,
      options,
    );
    this.masterName = masterName;
    this.sentinels = sentinels;
  }
}

/**
 * A server refused the credentials (NOAUTH, WRONGPASS). `target` says whether a sentinel or a data
 * node refused, so the message can name the option to fix; the password itself is never quoted.
 */
export class AuthenticationError extends SentinelKitError {
  override name = 'AuthenticationError';
  readonly target: 'sentinel' | 'data node';
  readonly node: NodeAddress;

  constructor(
    target: 'sentinel' | 'data node',
    node: NodeAddress,
    options: { alias?: string; cause?: unknown } = {},
  ) {
    const fix =
      target === 'sentinel'
        ? '"sentinelPassword" (and "sentinelUsername" for an ACL user); sentinel credentials are separate from the data nodes\''
        : '"password" (and "username" for an ACL user), or the credentials in the location URL';
    const reply = options.cause instanceof Error ? ` (${options.cause.message.split(' ')[0]})` : '';
    super(
      'ERR_AUTH',
      `The ${target} ${addr(node)} refused the credentials${reply}${forAlias(options.alias)}. Check the option ${fix}.`,
      options,
    );
    this.target = target;
    this.node = node;
  }
}

/** A sentinel refused `SENTINEL FAILOVER` (for example NOGOODSLAVE or INPROG) and said why. */
export class FailoverRefusedError extends SentinelKitError {
  override name = 'FailoverRefusedError';
  readonly masterName: string;

  constructor(masterName: string, sentinel: NodeAddress, options: { alias?: string; cause?: unknown } = {}) {
    const reason = options.cause instanceof Error ? options.cause.message : 'no reason given';
    super(
      'ERR_FAILOVER_REFUSED',
      `The sentinel ${addr(sentinel)} refused to fail over master "${masterName}"${forAlias(options.alias)}: ${reason}.`,
      options,
    );
    this.masterName = masterName;
  }
}

/** `incr`/`decr`/`incrVersion` on a key that does not exist, as django-redis raises `ValueError`. */
export class KeyNotFoundError extends SentinelKitError {
  override name = 'KeyNotFoundError';
  readonly key: string;

  constructor(key: string, redisKey: string, options: { alias?: string } = {}) {
    super('ERR_KEY_NOT_FOUND', `Key "${key}" not found (Redis key "${redisKey}")`, options);
    this.key = key;
  }
}

/** `incr`/`decr` on a stored value that is not a number. */
export class ValueNotIntegerError extends SentinelKitError {
  override name = 'ValueNotIntegerError';
  readonly key: string;

  constructor(key: string, options: { alias?: string; cause?: unknown } = {}) {
    super(
      'ERR_VALUE_NOT_INTEGER',
      `Cannot incr/decr key "${key}": the stored value is not a number. Store an integer with set() first`,
      options,
    );
    this.key = key;
  }
}

/** `caches.get(alias)` with an alias that is not configured. */
export class UnknownCacheAliasError extends SentinelKitError {
  override name = 'UnknownCacheAliasError';

  constructor(alias: string, known: readonly string[]) {
    const list = known.length === 0 ? 'none' : known.map((a) => `"${a}"`).join(', ');
    super(
      'ERR_UNKNOWN_CACHE_ALIAS',
      `Cache alias "${alias}" is not configured (configured aliases: ${list}). Add it to the createCaches() config`,
      { alias },
    );
  }
}

/** A value the serializer cannot store faithfully, or stored bytes it cannot read back. */
export class SerializationError extends SentinelKitError {
  override name = 'SerializationError';
  readonly key: string;

  constructor(key: string, problem: string, options: { alias?: string; cause?: unknown } = {}) {
    super('ERR_SERIALIZATION', `Cannot serialize the value of key "${key}": ${problem}`, options);
    this.key = key;
  }
}

/** Stored bytes that neither the compressor nor the serializer can read back. */
export class DeserializationError extends SentinelKitError {
  override name = 'DeserializationError';
  readonly key: string;

  constructor(key: string, problem: string, options: { alias?: string; cause?: unknown } = {}) {
    super(
      'ERR_DESERIALIZATION',
      `Cannot read the stored value of key "${key}": ${problem}. Check that every writer uses the same "serializer" and "compressor" options`,
      options,
    );
    this.key = key;
  }
}

/** A cache config entry (or a method argument) with a value of the wrong kind. */
export class InvalidCacheConfigError extends SentinelKitError {
  override name = 'InvalidCacheConfigError';

  constructor(message: string, options: { alias?: string; cause?: unknown } = {}) {
    super('ERR_INVALID_CACHE_CONFIG', message, options);
  }
}

/** A bad argument to a cache method (a non-integer delta, a NaN timeout). */
export class InvalidCacheArgumentError extends SentinelKitError {
  override name = 'InvalidCacheArgumentError';

  constructor(message: string, options: { alias?: string } = {}) {
    super('ERR_INVALID_ARGUMENT', message, options);
  }
}

/** A `CACHES_<ALIAS>_*` environment variable that cannot be read; `variable` names it. */
export class InvalidEnvError extends SentinelKitError {
  override name = 'InvalidEnvError';
  readonly variable: string;

  constructor(variable: string, problem: string, options: { alias?: string; cause?: unknown } = {}) {
    super('ERR_INVALID_ENV', `Environment variable ${variable}: ${problem}`, options);
    this.variable = variable;
  }
}

/** A compressor this runtime cannot provide (zstd before Node 22.15). */
export class CompressorUnavailableError extends SentinelKitError {
  override name = 'CompressorUnavailableError';

  constructor(compressor: string, problem: string, options: { alias?: string } = {}) {
    super('ERR_COMPRESSOR_UNAVAILABLE', `Compressor "${compressor}" is unavailable: ${problem}`, options);
  }
}

/** `lock.release()`/`extend()` by a holder whose token no longer owns the lock. */
export class LockNotOwnedError extends SentinelKitError {
  override name = 'LockNotOwnedError';

  constructor(name: string, action: string, options: { alias?: string } = {}) {
    super(
      'ERR_LOCK_NOT_OWNED',
      `Cannot ${action} lock "${name}": it is not held by this Lock (never acquired, released, or expired after its "timeout")`,
      options,
    );
  }
}

/** `lock.using(fn)` could not acquire the lock within `blockingTimeout`. */
export class LockTimeoutError extends SentinelKitError {
  override name = 'LockTimeoutError';

  constructor(name: string, blockingTimeout: number, options: { alias?: string } = {}) {
    super(
      'ERR_LOCK_TIMEOUT',
      `Could not acquire lock "${name}" within ${blockingTimeout} s. Raise "blockingTimeout" (seconds) or retry later`,
      options,
    );
  }
}

/**
 * A cache command that failed for a connection reason (socket closed, node unreachable, READONLY,
 * LOADING, a timeout): the kind `ignoreExceptions` turns into a miss. `cause` holds the driver's error.
 */
export class CacheConnectionError extends SentinelKitError {
  override name = 'CacheConnectionError';

  constructor(command: string, options: { alias?: string; cause?: unknown } = {}) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      'ERR_CACHE_CONNECTION',
      `Cache${options.alias === undefined ? '' : ` "${options.alias}"`} could not run ${command}: ${reason}. ` +
        'Set the option "ignoreExceptions: true" to treat such failures as misses',
      options,
    );
  }
}

/** Redis refused a cache command for a reason that is not about the connection (WRONGTYPE, OOM). */
export class CacheCommandError extends SentinelKitError {
  override name = 'CacheCommandError';

  constructor(command: string, options: { alias?: string; cause?: unknown } = {}) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      'ERR_CACHE_COMMAND',
      `Redis refused ${command}${options.alias === undefined ? '' : ` for cache "${options.alias}"`}: ${reason}`,
      options,
    );
  }
}

/**
 * The master refused a write with NOREPLICAS: fewer replicas than its `min-replicas-to-write` are
 * connected and in sync. The write was not applied.
 */
export class NoReplicasError extends SentinelKitError {
  override name = 'NoReplicasError';

  constructor(options: { alias?: string; cause?: unknown } = {}) {
    super(
      'ERR_NOREPLICAS',
      `The master refused a write${options.alias === undefined ? '' : ` for cache "${options.alias}"`}: not enough good replicas ` +
        '(NOREPLICAS). The write was not applied. Bring replicas back, or lower the server setting "min-replicas-to-write"',
      options,
    );
  }
}

/**
 * Commands waited `queueTimeout` milliseconds for a node that stayed unreachable (no sentinel named
 * a reachable master, or every replica was down for `readFrom: 'replica'`).
 */
export class NodeUnavailableError extends SentinelKitError {
  override name = 'NodeUnavailableError';
  readonly role: 'master' | 'replica';

  constructor(
    role: 'master' | 'replica',
    waitedMs: number,
    options: { alias?: string; cause?: unknown } = {},
  ) {
    const reason = options.cause instanceof Error ? ` Last error: ${options.cause.message}.` : '';
    super(
      'ERR_NODE_UNAVAILABLE',
      `No ${role} was reachable for ${waitedMs} ms${options.alias === undefined ? '' : ` (cache "${options.alias}")`}.${reason} ` +
        `Raise "queueTimeout" (ms) to let commands wait longer${role === 'replica' ? ', or use readFrom "replicaPreferred"' : ''}`,
      options,
    );
    this.role = role;
  }
}

/** A write reached a node that is a replica (READONLY) and no sentinel names another master. */
export class ReadOnlyNodeError extends SentinelKitError {
  override name = 'ReadOnlyNodeError';
  readonly node: NodeAddress | undefined;

  constructor(node: NodeAddress | undefined, options: { alias?: string; cause?: unknown } = {}) {
    const where = node === undefined ? 'the server' : addr(node);
    super(
      'ERR_READONLY_NODE',
      `A write went to ${where}, which is a read-only replica${forAlias(options.alias)}. ` +
        'Point the location at the master, or use a sentinel location so writes follow the master',
      options,
    );
    this.node = node;
  }
}

/** `connector.sentinels()` on a location that names one server, not sentinels. */
export class NotSentinelLocationError extends SentinelKitError {
  override name = 'NotSentinelLocationError';

  constructor(options: { alias?: string } = {}) {
    super(
      'ERR_NOT_SENTINEL_LOCATION',
      `There are no sentinels to ask${forAlias(options.alias)}: the location names one server. ` +
        'Use a sentinel location ("mymaster/host:26379,…/0" or "redis+sentinel://…")',
      options,
    );
  }
}

/**
 * The sentinels keep naming a master that answers as a replica, and none names another one within
 * `failoverHoldTimeout` milliseconds: queued writes fail instead of waiting for a master that may
 * never come.
 */
export class MasterDemotedError extends SentinelKitError {
  override name = 'MasterDemotedError';
  readonly masterName: string;
  readonly node: NodeAddress | undefined;

  constructor(
    masterName: string,
    node: NodeAddress | undefined,
    waitedMs: number,
    options: { alias?: string } = {},
  ) {
    super(
      'ERR_MASTER_DEMOTED',
      `The sentinels name ${node === undefined ? 'a node' : addr(node)} as master "${masterName}"${forAlias(options.alias)}, ` +
        `but it answers as a replica and no sentinel named another master for ${waitedMs} ms. ` +
        'Check the sentinels (SENTINEL MASTER, or `sentinel-kit status <location>`); raise "failoverHoldTimeout" (ms) to wait longer',
      options,
    );
    this.masterName = masterName;
    this.node = node;
  }
}
