/** Errors of the connections to the data nodes: closed, unreachable, demoted, outcome unknown. */
import { addr, type ErrorContext, type NodeAddress, reasonOf, SentinelKitError } from './base.js';

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

/** Why a command's outcome is unknown; see `OutcomeUnknownError`. */
export type OutcomeUnknownReason = 'no connection' | 'silent node' | 'resend too late';

const OUTCOME_UNKNOWN: Record<
  OutcomeUnknownReason,
  (role: string, command: string, ms: number) => { problem: string; detail: string; fix: string }
> = {
  'no connection': (role, command, ms) => ({
    problem: `The ${role} connection died while ${command} awaited its reply, and none came back for ${ms} ms`,
    detail: 'the command may or may not have been applied',
    fix: 'Read the key back before repeating a write that is not idempotent, or raise "queueTimeout" (ms) to wait longer for a connection to resend it on',
  }),
  'silent node': (role, command, ms) => ({
    problem: `The ${role} answered nothing for ${ms} ms while ${command} awaited its reply, and its socket was dropped`,
    detail: 'the command may or may not have been applied; the connection is being reopened',
    fix: 'Read the key back before repeating a write that is not idempotent; raise "socketTimeout" (ms) for commands that take longer, or set it to 0 to turn the check off',
  }),
  'resend too late': (role, command, ms) => ({
    problem: `The ${role} connection died while ${command} awaited its reply, and came back ${ms} ms after it was sent, too late to resend it safely`,
    detail: 'the command may or may not have been applied',
    fix: 'Read the key back before repeating it, or raise "queueTimeout" (ms), which the resend window follows',
  }),
};

/**
 * A command had been written to a socket and its reply never came, so whether it was applied is
 * unknown: the socket died and no connection came back within `queueTimeout` ms to resend it on
 * (`reason: 'no connection'`); the node answered nothing for `socketTimeout` ms and the socket was
 * dropped (`'silent node'`); or the command may be resent only within a window that closed before a
 * connection came back (`'resend too late'`; the cache's counters). Read the key back before
 * repeating a write that is not idempotent (a list push, a raw INCR). Commands that were still
 * queued when the socket died fail with `NodeUnavailableError` instead: they were never sent.
 */
export class OutcomeUnknownError extends SentinelKitError<'ERR_OUTCOME_UNKNOWN'> {
  static readonly code = 'ERR_OUTCOME_UNKNOWN';
  override name = 'OutcomeUnknownError';
  readonly role: 'master' | 'replica';
  /** The command's name, e.g. `set`; never its arguments. */
  readonly command: string;
  readonly reason: OutcomeUnknownReason;
  constructor(
    role: 'master' | 'replica',
    command: string,
    waitedMs: number,
    context: ErrorContext & { reason?: OutcomeUnknownReason } = {},
  ) {
    const reason = context.reason ?? 'no connection';
    const parts = OUTCOME_UNKNOWN[reason](role, command.toUpperCase(), waitedMs);
    const last = context.cause instanceof Error ? `; last error: ${reasonOf(context.cause)}` : '';
    super(
      'ERR_OUTCOME_UNKNOWN',
      { ...parts, detail: `${parts.detail}${last}` },
      { alias: context.alias, cause: context.cause },
    );
    this.reason = reason;
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
