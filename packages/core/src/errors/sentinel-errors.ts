/** Errors from asking the sentinels: none to ask, none reachable, refused, unknown master. */
import {
  addr,
  type ErrorContext,
  type NodeAddress,
  type NodeTarget,
  reasonOf,
  type SentinelAttempt,
  SentinelKitError,
  scrubError,
} from './base.js';

/** A `SentinelAdmin` given no sentinel to ask. */
export class NoSentinelsError extends SentinelKitError<'ERR_NO_SENTINELS'> {
  static readonly code = 'ERR_NO_SENTINELS';
  override name = 'NoSentinelsError';
  constructor(context: ErrorContext = {}) {
    const problem = 'SentinelAdmin has no sentinel to ask';
    super('ERR_NO_SENTINELS', { problem, fix: 'List at least one in "sentinels"' }, context);
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
  readonly target: NodeTarget;
  readonly node: NodeAddress;
  /** `reply`: the server's word for the refusal (`WRONGPASS`), quoted in the message. */
  constructor(target: NodeTarget, node: NodeAddress, options: ErrorContext & { reply?: string } = {}) {
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
  readonly target: NodeTarget;
  readonly node: NodeAddress;
  /** `tlsCode`: Node's code for the failure (`SELF_SIGNED_CERT_IN_CHAIN`), quoted in the message. */
  constructor(target: NodeTarget, node: NodeAddress, options: ErrorContext & { tlsCode?: string } = {}) {
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
