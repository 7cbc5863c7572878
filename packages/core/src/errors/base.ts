/**
 * Every `code` a sentinel-kit error carries, one line per layer. Codes are stable across releases:
 * match on them (or use `isSentinelKitError(err, code)`), never on messages. The last line belongs
 * to the packages built on core (cli, keyv, express-session), so one union covers the whole kit.
 */
// biome-ignore format: one line per layer reads better than one code per line
export const ERROR_CODES = [
  'ERR_INVALID_LOCATION', 'ERR_NOT_SENTINEL_LOCATION', 'ERR_UNSUPPORTED_LOCATION',
  'ERR_NO_SENTINELS', 'ERR_CLOSED', 'ERR_ALL_SENTINELS_UNREACHABLE', 'ERR_UNKNOWN_MASTER', 'ERR_AUTH', 'ERR_TLS',
  'ERR_FAILOVER_REFUSED', 'ERR_CLUSTER_UNREACHABLE', 'ERR_CLUSTER_FAILOVER_REFUSED',
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

/** A node as messages name it: `host:port`, IPv6 hosts in brackets. */
export const addr = (node: NodeAddress): string =>
  node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`;
/** The text of a cause, without a trailing full stop. */
export const reasonOf = (cause: unknown): string =>
  unstop(cause instanceof Error ? cause.message : String(cause));

/** Which side refused or failed: a sentinel, or a data node. */
export type NodeTarget = 'sentinel' | 'data node';
