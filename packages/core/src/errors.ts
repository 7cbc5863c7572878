/**
 * Every `code` a sentinel-kit error carries, one line per layer. Codes are stable across releases:
 * match on them (or use `isSentinelKitError(err, code)`), never on messages. The last line belongs
 * to the packages built on core (cli, keyv, express-session), so one union covers the whole kit.
 */
// biome-ignore format: one line per layer reads better than one code per line
export const ERROR_CODES = [
  'ERR_INVALID_LOCATION', 'ERR_NOT_SENTINEL_LOCATION',
  'ERR_NO_SENTINELS', 'ERR_CLOSED', 'ERR_ALL_SENTINELS_UNREACHABLE', 'ERR_UNKNOWN_MASTER', 'ERR_AUTH', 'ERR_TLS',
  'ERR_FAILOVER_REFUSED',
  'ERR_NODE_UNAVAILABLE', 'ERR_NOREPLICAS', 'ERR_READONLY_NODE', 'ERR_MASTER_DEMOTED', 'ERR_OUTCOME_UNKNOWN', 'ERR_NODE_CONNECTION',
  'ERR_CACHE_CONNECTION', 'ERR_CACHE_COMMAND', 'ERR_KEY_NOT_FOUND', 'ERR_VALUE_NOT_INTEGER',
  'ERR_SERIALIZATION', 'ERR_DESERIALIZATION', 'ERR_LOCK_NOT_OWNED', 'ERR_LOCK_TIMEOUT', 'ERR_GET_OR_SET_LOCK',
  'ERR_UNKNOWN_CACHE_ALIAS', 'ERR_INVALID_CACHE_CONFIG', 'ERR_INVALID_ARGUMENT', 'ERR_INVALID_ENV',
  'ERR_COMPRESSOR_UNAVAILABLE',
  'ERR_CLI_USAGE', 'ERR_INVALID_TTL', 'ERR_KEYV_SERIALIZED_VALUE', 'ERR_INVALID_SESSION_STORE_OPTION',
  'ERR_SESSION_STORE', 'ERR_SESSION_NOT_REPLICATED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What a message says, in the order every message says it: `problem`, then ` (cache "<alias>")`
 * when there is an alias, then `: detail`, then `fix`.
 */
export interface ErrorParts {
  /** What happened, in a few words. */
  problem: string;
  /** The specifics: a cause, the nodes asked. */
  detail?: string;
  /** How to fix it, naming the option; absent when no setting would help. */
  fix?: string;
  /** The problem names the alias itself (an unknown alias): no label, and `forAlias` keeps it. */
  namesAlias?: boolean;
}

/** What every constructor takes besides its own facts: the cache it belongs to and the cause. */
export interface ErrorContext {
  alias?: string | undefined;
  cause?: unknown;
}

/** Shared by every copy of the package (ESM and CJS builds, two versions): the brand on each instance. */
const BRAND = Symbol.for('sentinel-kit.error');
const PARTS = Symbol('sentinel-kit.error.parts');

const label = (alias: string | undefined): string => (alias === undefined ? '' : ` (cache "${alias}")`);
const unstop = (text: string): string => text.replace(/\.+$/, '');

function compose(parts: ErrorParts | string, alias: string | undefined): string {
  if (typeof parts === 'string') return parts;
  const where = parts.namesAlias ? '' : label(alias);
  const detail = parts.detail ? `: ${unstop(parts.detail)}` : '';
  const fix = parts.fix ? ` ${unstop(parts.fix)}.` : '';
  return `${unstop(parts.problem)}${where}${detail}.${fix}`;
}

const isBranded = (value: unknown): value is SentinelKitError =>
  typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;

/** At most this many characters of one input are quoted in a message. */
const QUOTE_LIMIT = 200;

/**
 * `input` as messages quote it: in double quotes with control characters (CR, LF, NUL, …) escaped,
 * so an input cannot forge log lines, and at most 200 characters of it, so a huge input does not
 * make a huge message.
 */
export function quoteInput(input: unknown): string {
  let text: string;
  try {
    text = String(input);
  } catch {
    text = Object.prototype.toString.call(input);
  }
  const shown = text.length > QUOTE_LIMIT ? text.slice(0, QUOTE_LIMIT) : text;
  const quoted = JSON.stringify(shown).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > QUOTE_LIMIT ? `${quoted}… (${text.length - QUOTE_LIMIT} more characters)` : quoted;
}

/** The fields of a driver's or the socket's error that are kept when it is copied: none can hold a secret. */
const SAFE_FIELDS = ['code', 'errno', 'syscall', 'address', 'port'] as const;
const TEXT_FIELDS = new Set<PropertyKey>(['message', 'stack', 'name', 'cause']);

/** True when `error` holds nothing but text and numbers besides its cause. */
function holdsOnlyText(error: Error): boolean {
  for (const key of Reflect.ownKeys(error)) {
    if (TEXT_FIELDS.has(key)) continue;
    const field = Object.getOwnPropertyDescriptor(error, key);
    if (field === undefined || field.get !== undefined || field.set !== undefined) return false;
    const { value } = field;
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') return false;
  }
  return true;
}

/**
 * `cause` with nothing in it that may hold a secret, for keeping as an error's cause. ioredis's
 * errors keep the command they answer, and a refused handshake's is `AUTH default <password>`;
 * an error object travels far (loggers, `JSON.stringify`, `util.inspect`). An error that holds only
 * text and numbers is kept as it is; any other is replaced by a plain copy of its name, message,
 * stack and socket fields (`code`, `errno`, `syscall`, `address`, `port`), its own cause scrubbed
 * the same way. Sentinel-kit's errors are scrubbed when they are made.
 */
export function scrubCause(cause: unknown, depth = 0): unknown {
  if (cause === undefined || cause === null || isBranded(cause)) return cause;
  if (!(cause instanceof Error)) {
    if (typeof cause !== 'object' && typeof cause !== 'function') return cause;
    return new Error(`a non-Error value was thrown (${Object.prototype.toString.call(cause)})`);
  }
  const inner = (cause as { cause?: unknown }).cause;
  const innerScrubbed = depth >= 4 ? undefined : scrubCause(inner, depth + 1);
  if (holdsOnlyText(cause) && innerScrubbed === inner) return cause;
  const copy = new Error(cause.message) as Error & Record<string, unknown>;
  const hidden = (value: unknown) => ({ value, writable: true, configurable: true });
  Object.defineProperty(copy, 'name', hidden(cause.name));
  Object.defineProperty(copy, 'stack', hidden(cause.stack));
  for (const field of SAFE_FIELDS) {
    const value = (cause as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string' || typeof value === 'number') copy[field] = value;
  }
  const errors = (cause as { errors?: unknown }).errors;
  if (Array.isArray(errors) && depth < 4) copy.errors = errors.map((e) => scrubCause(e, depth + 1));
  if (innerScrubbed !== undefined) Object.defineProperty(copy, 'cause', hidden(innerScrubbed));
  return copy;
}

/** {@link scrubCause} for a value known to be an `Error`. */
export const scrubError = (error: Error): Error => scrubCause(error) as Error;

type Constructor<T> = abstract new (...args: never[]) => T;

const ordinaryInstanceOf = (type: object, value: unknown): boolean =>
  Function.prototype[Symbol.hasInstance].call(type, value);

/** The brand makes any sentinel-kit error a `SentinelKitError`; a class with its own `code`, any with that code. */
function matchesClass(type: object, value: unknown): boolean {
  if (!isBranded(value)) return ordinaryInstanceOf(type, value);
  if (type === SentinelKitError) return true;
  const own = Object.hasOwn(type, 'code') ? (type as { code?: unknown }).code : undefined;
  return own === undefined ? ordinaryInstanceOf(type, value) : value.code === own;
}

/**
 * The base of every error sentinel-kit throws. `code` is stable across releases; `alias` names
 * the cache the failure belongs to, when there is one; `cause` keeps the underlying error.
 *
 * `instanceof` holds across copies of the package (the ESM and the CJS build loaded side by side):
 * every instance carries a `Symbol.for` brand, and a class with its own static `code` matches any
 * branded error with that code.
 */
export class SentinelKitError<C extends ErrorCode = ErrorCode> extends Error {
  override name = 'SentinelKitError';
  readonly code: C;
  readonly alias: string | undefined;
  declare private readonly [PARTS]: ErrorParts | string;

  /**
   * `message` as parts gets the alias label and can be relabelled; a string is kept as given. The
   * cause is kept scrubbed of anything that may hold a secret (see `scrubCause`).
   */
  constructor(code: C, message: ErrorParts | string, context: ErrorContext = {}) {
    super(
      compose(message, context.alias),
      context.cause === undefined ? undefined : { cause: scrubCause(context.cause) },
    );
    this.code = code;
    this.alias = context.alias;
    Object.defineProperty(this, BRAND, { value: true });
    Object.defineProperty(this, PARTS, { value: message });
  }

  static override [Symbol.hasInstance]<T>(this: Constructor<T>, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of `instanceof`, often a subclass
    return matchesClass(this, value);
  }

  /**
   * A copy of this error (same class, fields, cause and stack) that belongs to cache `alias`, for a
   * connector shared by several caches: its `alias` and its message name the cache whose call failed.
   */
  forAlias(alias: string): this {
    const parts = this[PARTS];
    if (alias === this.alias || (typeof parts === 'object' && parts.namesAlias)) return this;
    const message =
      typeof parts === 'object' || this.alias === undefined
        ? compose(parts, alias)
        : this.message.replaceAll(label(this.alias), label(alias));
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.defineProperties(copy, Object.getOwnPropertyDescriptors(this));
    Object.defineProperty(copy, 'alias', { value: alias, enumerable: true });
    Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true });
    const frames = typeof this.stack === 'string' ? this.stack.indexOf('\n    at ') : -1;
    const stack = `${this.name}: ${message}${frames < 0 ? '' : (this.stack as string).slice(frames)}`;
    Object.defineProperty(copy, 'stack', { value: stack, writable: true, configurable: true });
    return copy;
  }
}

/**
 * True when `error` is a sentinel-kit error, from this copy of the package or any other; with
 * `code`, only for that code.
 */
export function isSentinelKitError<C extends ErrorCode>(
  error: unknown,
  code?: C,
): error is SentinelKitError<C> {
  return isBranded(error) && (code === undefined || error.code === code);
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
const reasonOf = (cause: unknown): string => unstop(cause instanceof Error ? cause.message : String(cause));

/** A location string that cannot be parsed. The message masks any password; no property holds the input. */
export class InvalidLocationError extends SentinelKitError<'ERR_INVALID_LOCATION'> {
  static readonly code = 'ERR_INVALID_LOCATION';
  override name = 'InvalidLocationError';
  /** The part of the location that is wrong: `host`, `port`, `db`, `master name`, … */
  readonly part: string;
  constructor(message: ErrorParts | string, part: string) {
    super('ERR_INVALID_LOCATION', message);
    this.part = part;
  }
}

/** `connector.sentinels()` on a location that names one server, not sentinels. */
export class NotSentinelLocationError extends SentinelKitError<'ERR_NOT_SENTINEL_LOCATION'> {
  static readonly code = 'ERR_NOT_SENTINEL_LOCATION';
  override name = 'NotSentinelLocationError';
  constructor(context: ErrorContext = {}) {
    const fix = 'Use a sentinel location ("mymaster/host:26379,…/0" or "redis+sentinel://…")';
    const problem = 'There are no sentinels to ask';
    super('ERR_NOT_SENTINEL_LOCATION', { problem, detail: 'the location names one server', fix }, context);
  }
}

/** A `SentinelAdmin` given no sentinel to ask. */
export class NoSentinelsError extends SentinelKitError<'ERR_NO_SENTINELS'> {
  static readonly code = 'ERR_NO_SENTINELS';
  override name = 'NoSentinelsError';
  constructor(context: ErrorContext = {}) {
    const problem = 'SentinelAdmin has no sentinel to ask';
    super('ERR_NO_SENTINELS', { problem, fix: 'List at least one in "sentinels"' }, context);
  }
}

const CLOSED_COMMAND = {
  unsent: 'Connection is closed; the command was not sent',
  'in flight': 'Connection is closed while the command awaited its reply; it may have been applied',
} as const;

/**
 * A call on something already closed: a `SentinelAdmin`, a cache, or a connector, whose `close()`
 * fails every command queued, held or awaiting its reply at once, and every command after it.
 * `command` says what became of a connector's command; `inFlight` is true when it had been written
 * to the socket, so a write may have been applied.
 */
export class ClosedError extends SentinelKitError<'ERR_CLOSED'> {
  static readonly code = 'ERR_CLOSED';
  override name = 'ClosedError';
  readonly inFlight: boolean;
  constructor(what: string, context: ErrorContext & { command?: keyof typeof CLOSED_COMMAND } = {}) {
    const detail = context.command === undefined ? undefined : CLOSED_COMMAND[context.command];
    const parts = { problem: `This ${what} was closed`, detail, fix: 'Create a new one' };
    super('ERR_CLOSED', parts, { alias: context.alias, cause: context.cause });
    this.inFlight = context.command === 'in flight';
  }
}

type TimedContext = ErrorContext & { timeoutMs?: number };

/**
 * No sentinel answered. Thrown only when every sentinel failed, each after at most `sentinelTimeout`
 * milliseconds; until then one sentinel's failure is an event, not an error.
 */
export class AllSentinelsUnreachableError extends SentinelKitError<'ERR_ALL_SENTINELS_UNREACHABLE'> {
  static readonly code = 'ERR_ALL_SENTINELS_UNREACHABLE';
  override name = 'AllSentinelsUnreachableError';
  readonly masterName: string;
  readonly attempts: SentinelAttempt[];
  constructor(masterName: string, attempts: SentinelAttempt[], options: TimedContext = {}) {
    const problem = `All sentinels of master "${masterName}" are unreachable`;
    const detail = attempts.map((a) => `${addr(a.sentinel)}: ${reasonOf(a.cause)}`).join('; ');
    const now = options.timeoutMs === undefined ? '' : ` (now ${options.timeoutMs} ms)`;
    const fix = `Check the sentinel list in the location string (or "sentinels"), and raise "sentinelTimeout"${now} if they are slow to answer`;
    const context = { alias: options.alias, cause: attempts.at(-1)?.cause };
    super('ERR_ALL_SENTINELS_UNREACHABLE', { problem, detail, fix }, context);
    this.masterName = masterName;
    this.attempts = attempts.map(({ sentinel, cause }) => ({ sentinel, cause: scrubError(cause) }));
  }
}

/** Sentinels answered that they monitor no master of that name; `sentinels` lists every one asked. */
export class UnknownMasterError extends SentinelKitError<'ERR_UNKNOWN_MASTER'> {
  static readonly code = 'ERR_UNKNOWN_MASTER';
  override name = 'UnknownMasterError';
  readonly masterName: string;
  readonly sentinels: NodeAddress[];
  constructor(masterName: string, sentinels: NodeAddress[], context: ErrorContext = {}) {
    const problem = `No sentinel monitors a master named "${masterName}"`;
    const detail = `asked ${sentinels.map(addr).join(', ')}`;
    const fix = 'Check the master name in the location string (or "masterName")';
    super('ERR_UNKNOWN_MASTER', { problem, detail, fix }, context);
    this.masterName = masterName;
    this.sentinels = sentinels;
  }
}

type AuthTarget = 'sentinel' | 'data node';
const SENTINEL_CREDENTIALS =
  '"sentinelPassword" (and "sentinelUsername" for an ACL user); sentinel credentials are separate from the data nodes\'';
const NODE_CREDENTIALS =
  '"password" (and "username" for an ACL user), or the credentials in the location URL';

/**
 * A server refused the credentials (NOAUTH, WRONGPASS). `target` says whether a sentinel or a data
 * node refused, so the message names the right option; the password itself is never quoted.
 */
export class AuthenticationError extends SentinelKitError<'ERR_AUTH'> {
  static readonly code = 'ERR_AUTH';
  override name = 'AuthenticationError';
  readonly target: AuthTarget;
  readonly node: NodeAddress;
  /** `reply`: the server's word for the refusal (`WRONGPASS`), quoted in the message. */
  constructor(target: AuthTarget, node: NodeAddress, options: ErrorContext & { reply?: string } = {}) {
    const reply = options.reply === undefined ? '' : ` (${options.reply})`;
    const problem = `The ${target} ${addr(node)} refused the credentials${reply}`;
    const fix = `Check the option ${target === 'sentinel' ? SENTINEL_CREDENTIALS : NODE_CREDENTIALS}`;
    super('ERR_AUTH', { problem, fix }, { alias: options.alias, cause: options.cause });
    this.target = target;
    this.node = node;
  }
}

const SENTINEL_TLS =
  '"sentinelTls" (sentinels use "tls" when it is unset): its "ca" must have signed the sentinel\'s certificate, and the host dialled (or "servername") must be a name that certificate carries';
const NODE_TLS =
  '"tls": its "ca" must have signed the data node\'s certificate, and the host dialled (or "servername") must be a name that certificate carries';

/**
 * A TLS handshake with a server failed: an untrusted or expired certificate, a host name the
 * certificate does not carry, a server that does not speak TLS. It will not fix itself, so commands
 * fail at once instead of waiting `queueTimeout`. `target` says whether a sentinel or a data node
 * failed, so the message names the right option; `cause` is Node's TLS error, its `code` kept.
 */
export class TlsError extends SentinelKitError<'ERR_TLS'> {
  static readonly code = 'ERR_TLS';
  override name = 'TlsError';
  readonly target: AuthTarget;
  readonly node: NodeAddress;
  /** `tlsCode`: Node's code for the failure (`SELF_SIGNED_CERT_IN_CHAIN`), quoted in the message. */
  constructor(target: AuthTarget, node: NodeAddress, options: ErrorContext & { tlsCode?: string } = {}) {
    const code = options.tlsCode === undefined ? '' : ` (${options.tlsCode})`;
    const problem = `The TLS handshake with the ${target} ${addr(node)} failed${code}`;
    const detail = options.cause === undefined ? undefined : reasonOf(options.cause);
    const fix = `Check the option ${target === 'sentinel' ? SENTINEL_TLS : NODE_TLS}`;
    super('ERR_TLS', { problem, detail, fix }, { alias: options.alias, cause: options.cause });
    this.target = target;
    this.node = node;
  }
}

/** A sentinel refused `SENTINEL FAILOVER` (for example NOGOODSLAVE or INPROG) and said why. */
export class FailoverRefusedError extends SentinelKitError<'ERR_FAILOVER_REFUSED'> {
  static readonly code = 'ERR_FAILOVER_REFUSED';
  override name = 'FailoverRefusedError';
  readonly masterName: string;
  constructor(masterName: string, sentinel: NodeAddress, context: ErrorContext = {}) {
    const problem = `The sentinel ${addr(sentinel)} refused to fail over master "${masterName}"`;
    const detail = context.cause === undefined ? 'no reason given' : reasonOf(context.cause);
    super('ERR_FAILOVER_REFUSED', { problem, detail }, context);
    this.masterName = masterName;
  }
}

/**
 * Commands waited `queueTimeout` milliseconds for a node that stayed unreachable (no sentinel named
 * a reachable master, or every replica was down for `readFrom: 'replica'`).
 */
export class NodeUnavailableError extends SentinelKitError<'ERR_NODE_UNAVAILABLE'> {
  static readonly code = 'ERR_NODE_UNAVAILABLE';
  override name = 'NodeUnavailableError';
  readonly role: 'master' | 'replica';
  constructor(role: 'master' | 'replica', waitedMs: number, context: ErrorContext = {}) {
    const problem = `No ${role} was reachable for ${waitedMs} ms`;
    const detail = context.cause instanceof Error ? `last error: ${reasonOf(context.cause)}` : undefined;
    const other =
      role === 'replica' ? '; with readFrom "replica", "replicaPreferred" falls back to the master' : '';
    const fix = `Raise "queueTimeout" (ms) to let commands wait longer${other}`;
    super('ERR_NODE_UNAVAILABLE', { problem, detail, fix }, context);
    this.role = role;
  }
}

/**
 * The master refused a write with NOREPLICAS: fewer replicas than its `min-replicas-to-write` are
 * connected and in sync. The write was not applied.
 */
export class NoReplicasError extends SentinelKitError<'ERR_NOREPLICAS'> {
  static readonly code = 'ERR_NOREPLICAS';
  override name = 'NoReplicasError';
  constructor(context: ErrorContext = {}) {
    const detail = 'not enough good replicas (NOREPLICAS); the write was not applied';
    const fix = 'Bring replicas back, or lower the server setting "min-replicas-to-write"';
    super('ERR_NOREPLICAS', { problem: 'The master refused a write', detail, fix }, context);
  }
}

/** A write reached a read-only replica (READONLY) and no sentinel names another master. */
export class ReadOnlyNodeError extends SentinelKitError<'ERR_READONLY_NODE'> {
  static readonly code = 'ERR_READONLY_NODE';
  override name = 'ReadOnlyNodeError';
  readonly node: NodeAddress | undefined;
  /** `sentinel`: the location is a sentinel one, so the sentinels (not the location) chose the node. */
  constructor(node: NodeAddress | undefined, options: ErrorContext & { sentinel?: boolean } = {}) {
    const problem = `A write went to ${node === undefined ? 'the server' : addr(node)}, a read-only replica`;
    const fix = options.sentinel
      ? 'Check which node the sentinels name as master (`sentinel-kit status <location>`)'
      : 'Point the location at the master, or use a sentinel location so writes follow the master';
    super('ERR_READONLY_NODE', { problem, fix }, { alias: options.alias, cause: options.cause });
    this.node = node;
  }
}

/**
 * The sentinels keep naming a master that answers as a replica, and none names another one within
 * `failoverHoldTimeout` milliseconds: queued writes fail instead of waiting for a master that may
 * never come.
 */
export class MasterDemotedError extends SentinelKitError<'ERR_MASTER_DEMOTED'> {
  static readonly code = 'ERR_MASTER_DEMOTED';
  override name = 'MasterDemotedError';
  readonly masterName: string;
  readonly node: NodeAddress | undefined;
  constructor(
    masterName: string,
    node: NodeAddress | undefined,
    waitedMs: number,
    context: ErrorContext = {},
  ) {
    const problem = `The sentinels name ${node === undefined ? 'a node' : addr(node)} as master "${masterName}"`;
    const detail = `it answers as a replica, and no sentinel named another master for ${waitedMs} ms`;
    const fix =
      'Check the sentinels (`sentinel-kit status <location>`), or raise "failoverHoldTimeout" (ms) to wait longer';
    super('ERR_MASTER_DEMOTED', { problem, detail, fix }, context);
    this.masterName = masterName;
    this.node = node;
  }
}

/**
 * A command had been written to a socket that died before the reply came, and no connection came
 * back within `queueTimeout` ms to resend it on: whether it was applied is unknown. Read the key back
 * before repeating a write that is not idempotent (INCR, a list push, a lock's acquire). Commands
 * that were still queued when the socket died fail with `NodeUnavailableError` instead: they were
 * never sent.
 */
export class OutcomeUnknownError extends SentinelKitError<'ERR_OUTCOME_UNKNOWN'> {
  static readonly code = 'ERR_OUTCOME_UNKNOWN';
  override name = 'OutcomeUnknownError';
  readonly role: 'master' | 'replica';
  /** The command's name, e.g. `set`; never its arguments. */
  readonly command: string;
  constructor(role: 'master' | 'replica', command: string, waitedMs: number, context: ErrorContext = {}) {
    const problem = `The ${role} connection died while ${command.toUpperCase()} awaited its reply, and none came back for ${waitedMs} ms`;
    const last = context.cause instanceof Error ? `; last error: ${reasonOf(context.cause)}` : '';
    const detail = `the command may or may not have been applied${last}`;
    const fix =
      'Read the key back before repeating a write that is not idempotent, or raise "queueTimeout" (ms) to wait longer for a connection to resend it on';
    super('ERR_OUTCOME_UNKNOWN', { problem, detail, fix }, context);
    this.role = role;
    this.command = command;
  }
}

/**
 * One node's trouble as the connector's `error` event reports it: a socket to a data node or a
 * sentinel failed (refused, reset, timed out), or the node refused a handshake command. Never thrown:
 * commands wait for the node (see `queueTimeout`), and the other sentinels are asked meanwhile.
 */
export class NodeConnectionError extends SentinelKitError<'ERR_NODE_CONNECTION'> {
  static readonly code = 'ERR_NODE_CONNECTION';
  override name = 'NodeConnectionError';
  readonly target: 'sentinel' | 'master' | 'replica';
  readonly node: NodeAddress | undefined;
  constructor(
    target: 'sentinel' | 'master' | 'replica',
    node: NodeAddress | undefined,
    context: ErrorContext = {},
  ) {
    const where = node === undefined ? 'its node' : addr(node);
    const problem =
      target === 'sentinel'
        ? `The sentinel ${where} could not be asked`
        : `The ${target} connection to ${where} failed`;
    super('ERR_NODE_CONNECTION', { problem, detail: reasonOf(context.cause) }, context);
    this.target = target;
    this.node = node;
  }
}

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
