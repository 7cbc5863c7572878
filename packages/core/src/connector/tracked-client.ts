import { type Command, Redis } from 'ioredis';
import {
  ClosedError,
  type NodeAddress,
  NodeUnavailableError,
  OutcomeUnknownError,
  type SentinelKitError,
  TlsError,
} from '../errors.js';
import type { OneMasterLocation } from '../location/location.js';
import { isTlsFailure } from '../sentinel/sentinel-verdict.js';
import { type ClientRole, clientOptions } from './client-options.js';
import type { ConnectorOptions, ConnectorSettings } from './connector-options.js';
import { FailoverGuard, firstSentAt } from './failover-guard.js';
import {
  abandonSocket,
  assertClientInternals,
  closeNow,
  dropIfStillHandshaking,
  failQueued,
  failStranded,
  failWaiting,
  onRoleMismatch,
  ReconnectDelay,
  reconnectNow,
  type SentinelWalk,
  strandedCommands,
  watchSentinelWalk,
} from './ioredis/client-internals.js';
import { IOREDIS_TEXT, isAllSentinelsUnreachable } from './ioredis/driver-messages.js';
import { nodeTrouble, parseSentinelFailure, translateNodeError } from './node-errors.js';
import { ReplyWatchdog } from './reply-watchdog.js';
import { mayResend } from './resend-window.js';

/** One sentinel's failure to name a node, as ioredis reported it to this client. */
export type SentinelFailure = NonNullable<ReturnType<typeof parseSentinelFailure>>;

/** What a tracked client tells its connector. */
export interface TrackedClientHooks {
  /** An address ioredis resolved (after `natMap`) → the node to dial. */
  resolve(client: TrackedClient, address: NodeAddress): NodeAddress;
  /** Connected and ready on `node` (undefined for a one-server location). */
  ready(client: TrackedClient, node: NodeAddress | undefined): void;
  /** The ready check found the resolved node in the wrong role (a replica named as master). */
  wrongRole(client: TrackedClient): void;
  /** Every sentinel failed to name a node in one round. */
  sentinelRoundFailed(client: TrackedClient, failures: SentinelFailure[]): void;
  /** The client's own trouble, typed; never fatal. */
  error(client: TrackedClient, error: SentinelKitError): void;
  /** A held write's hold ran out. */
  holdTimedOut(): void;
}

export interface TrackedClientInput {
  role: ClientRole;
  location: OneMasterLocation;
  options: ConnectorOptions;
  settings: ConnectorSettings;
  hooks: TrackedClientHooks;
  /** What the connection is for, in its `CLIENT LIST` name. Default: the role. */
  purpose?: string;
  /** A RESP2 subscriber that subscribes again by itself after each reconnect (see `clientOptions`). */
  subscriber?: boolean;
}

const key = (node: NodeAddress): string => `${node.host}:${node.port}`;

/**
 * One ioredis client of a connector and what the connector knows about it: where it resolved and
 * where it is connected, each sentinel's latest failure, and the bounds ioredis lacks — on the
 * handshake (a paused node accepts the socket and never answers it), on how long commands wait for
 * an unreachable node (`queueTimeout`: queued ones, and those in flight on a socket that died), on
 * each sentinel asked (`sentinelTimeout`, connect and answer together), and on `close()`, after
 * which nothing it opened is left.
 */
export class TrackedClient {
  readonly role: ClientRole;
  readonly client: Redis;
  /** In front of `sendCommand`: typed rejections, send times, and failover holds (write client). */
  readonly guard: FailoverGuard;
  /** The node the client's last resolution named, in the address space after `natMap`. */
  resolved: NodeAddress | undefined;
  /** The node the client is connected and ready on. */
  connectedTo: NodeAddress | undefined;
  /** The last error worth naming as the cause when queued commands give up. */
  lastError: Error | undefined;

  private readonly delay: ReconnectDelay;
  private readonly location: OneMasterLocation;
  private readonly settings: ConnectorSettings;
  private readonly alias: string | undefined;
  private readonly hooks: TrackedClientHooks;
  /** Each sentinel's latest failure since the client was last ready, by `host:port`. */
  private readonly failures = new Map<string, SentinelFailure>();
  /** The socket error (or deadline) behind a sentinel ioredis reports as merely "Connection is closed". */
  private readonly sentinelCauses = new Map<string, Error>();
  /** When the socket that each stranded command was written to died. */
  private diedAt = new WeakMap<Command, number>();
  /** Every command that was ever stranded, so a resend still held after a failover is known as one. */
  private readonly wasStranded = new WeakSet<Command>();
  private readonly walk: SentinelWalk | undefined;
  private readonly watchdog: ReplyWatchdog | undefined;
  private queueTimer: NodeJS.Timeout | undefined;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(input: TrackedClientInput) {
    this.role = input.role;
    this.location = input.location;
    this.settings = input.settings;
    this.alias = input.options.alias;
    this.hooks = input.hooks;
    this.delay = new ReconnectDelay(input.settings.maxReconnectDelay);
    this.client = new Redis(
      clientOptions({
        role: input.role,
        location: input.location,
        options: input.options,
        settings: input.settings,
        delay: this.delay,
        purpose: input.purpose,
        subscriber: input.subscriber,
        resolved: (address) => {
          this.resolved = this.hooks.resolve(this, address);
          return this.resolved;
        },
      }),
    );
    const sentinel = input.location.kind === 'sentinel';
    assertClientInternals(this.client, { sentinel });
    this.guard = new FailoverGuard(
      this.client,
      input.settings.failoverHoldTimeout,
      (error) => this.translate(error),
      () => this.hooks.holdTimedOut(),
      (command) => this.refuseResend(command),
    );
    if (sentinel && this.role === 'master') onRoleMismatch(this.client, () => this.hooks.wrongRole(this));
    if (sentinel) this.walk = this.watchWalk(input.settings.sentinelTimeout);
    const silence = input.settings.socketTimeout;
    if (silence > 0) {
      this.watchdog = new ReplyWatchdog(this.client, silence, (silentMs) => this.dropSilent(silentMs));
    }
    this.listen();
    // Created lazily and connected only now: the first sentinel walk starts inside connect(), and
    // every hook above must be in place before it does.
    this.client.connect().catch(() => {});
  }

  /** The node to name in errors: where the client is (or was resolved to), or the one server. */
  get node(): NodeAddress | undefined {
    const location = this.location;
    if (location.kind === 'sentinel') return this.connectedTo ?? this.resolved;
    return 'path' in location
      ? { host: location.path, port: 0 }
      : { host: location.host, port: location.port };
  }

  /** The node the client is on, or is handshaking with right now. */
  get position(): NodeAddress | undefined {
    return this.connectedTo ?? (this.client.status === 'connect' ? this.resolved : undefined);
  }

  /** Resolve and dial again now (see `reconnectNow`). */
  reconnect(): void {
    reconnectNow(this.client, this.delay);
  }

  /** Fails every command queued on the client with `error`, which becomes its `lastError`. */
  failQueued(error: Error): void {
    this.lastError = error;
    failQueued(this.client, error);
  }

  /** The driver's error → the typed error callers see. */
  translate(error: Error): Error {
    return translateNodeError(error, {
      alias: this.alias,
      node: () => this.node,
      sentinel: this.location.kind === 'sentinel',
    });
  }

  /**
   * Closes the client at once: every command it holds, held, queued or awaiting its reply, fails
   * with `ClosedError`, and so does every command sent from now on; its socket, timers and sentinel
   * walk end with it.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.queueTimer);
    this.queueTimer = undefined;
    clearTimeout(this.handshakeTimer);
    const unsent = new ClosedError('connector', { alias: this.alias, command: 'unsent' });
    this.guard.close(unsent);
    closeNow(this.client, {
      unsent,
      inFlight: new ClosedError('connector', { alias: this.alias, command: 'in flight' }),
    });
    this.walk?.stop();
    this.watchdog?.stop();
  }

  /**
   * The node answered nothing for `silentMs` while commands awaited their replies: they fail with
   * `OutcomeUnknownError` rather than being resent (a command that is merely slow would otherwise
   * be sent again and again), and the client reconnects at once, asking the sentinels anew.
   */
  private dropSilent(silentMs: number): void {
    const cause = new Error(`no reply for ${silentMs} ms while commands were pending (socketTimeout)`);
    this.lastError = cause;
    const target = this.location.kind === 'sentinel' ? this.role : 'master';
    this.hooks.error(this, nodeTrouble(cause, { target, node: this.node, alias: this.alias }));
    abandonSocket(
      this.client,
      this.delay,
      (command) =>
        new OutcomeUnknownError(this.role, command.name, silentMs, {
          alias: this.alias,
          cause,
          reason: 'silent node',
        }),
    );
  }

  private watchWalk(deadlineMs: number): SentinelWalk {
    return watchSentinelWalk(this.client, {
      deadlineMs,
      onSocketError: (sentinel, error) => this.sentinelCauses.set(key(sentinel), error),
      onTimeout: (sentinel) =>
        this.sentinelCauses.set(key(sentinel), new Error(`timed out after ${deadlineMs} ms`)),
    });
  }

  private listen(): void {
    const { client } = this;
    // ioredis's connectTimeout stops at the TCP connect; a paused (SIGSTOP) node accepts the
    // connection in the kernel and then never answers the handshake, which would hang the client.
    client.on('connect', () => {
      clearTimeout(this.handshakeTimer);
      this.handshakeTimer = setTimeout(
        () => dropIfStillHandshaking(client, this.delay),
        this.settings.socketConnectTimeout,
      );
    });
    client.on('ready', () => {
      clearTimeout(this.handshakeTimer);
      clearTimeout(this.queueTimer);
      this.queueTimer = undefined;
      // ioredis has resent the stranded commands on the new socket: their clocks start again.
      this.diedAt = new WeakMap();
      this.failures.clear();
      this.connectedTo = this.location.kind === 'sentinel' ? this.resolved : undefined;
      this.lastError = undefined;
      this.hooks.ready(this, this.connectedTo);
    });
    client.on('close', () => {
      clearTimeout(this.handshakeTimer);
      this.connectedTo = undefined;
      const now = Date.now();
      for (const command of strandedCommands(client)) {
        if (!this.diedAt.has(command)) this.diedAt.set(command, now);
        this.wasStranded.add(command);
      }
      this.armQueueTimer();
    });
    client.on('sentinelError', (error: Error) => {
      const failure = parseSentinelFailure(error);
      if (failure === undefined) return;
      const where = key(failure.sentinel);
      const socket = this.sentinelCauses.get(where);
      this.sentinelCauses.delete(where);
      // ioredis words a sentinel it could not reach as "Connection is closed" and one that hung as
      // "Command timed out"; the socket knew why, and the deadline is the sentinelTimeout.
      // A failed TLS handshake is kept whatever ioredis made of it: its code says what to fix.
      const reason = failure.cause.message;
      if (
        socket !== undefined &&
        (isTlsFailure(socket) || reason.startsWith(IOREDIS_TEXT.connectionClosed))
      ) {
        failure.cause = socket;
        if (isTlsFailure(socket)) failure.noAnswer = false;
      } else if (reason.startsWith(IOREDIS_TEXT.commandTimedOut)) {
        failure.cause = new Error(`timed out after ${this.settings.sentinelTimeout} ms`);
      }
      this.failures.set(where, failure);
    });
    client.on('error', (error: Error) => this.onError(error));
  }

  /** A stranded command whose resend window (see `resendOnlyWithin`) closed fails instead of going out again. */
  private refuseResend(command: Command): Error | undefined {
    if (!this.wasStranded.has(command)) return undefined;
    const now = Date.now();
    if (mayResend(command, now)) return undefined;
    const waitedMs = now - (firstSentAt(command) ?? now);
    return new OutcomeUnknownError(this.role, command.name, waitedMs, {
      alias: this.alias,
      cause: this.lastError,
      reason: 'resend too late',
    });
  }

  private onError(error: Error): void {
    if (this.closed) return;
    if (this.location.kind === 'sentinel' && isAllSentinelsUnreachable(error)) {
      // ioredis walks its sentinel list across reconnects and says "all unreachable" whenever it
      // reaches the end, even when each sentinel answered; only a failure of every sentinel counts.
      if (this.failures.size < this.location.sentinels.length) return;
      const failures = [...this.failures.values()];
      this.failures.clear();
      this.hooks.sentinelRoundFailed(this, failures);
      return;
    }
    const translated = this.translate(error);
    this.lastError = translated;
    const target = this.location.kind === 'sentinel' ? this.role : 'master';
    this.hooks.error(this, nodeTrouble(translated, { target, node: this.node, alias: this.alias }));
    // A certificate does not fix itself: waiting queueTimeout for the next handshake helps nobody.
    if (translated instanceof TlsError) failQueued(this.client, translated);
  }

  /**
   * While the client cannot reach its node, a queued command that has waited `queueTimeout` ms
   * fails, and so does a command in flight on a socket that died that long ago (with
   * `OutcomeUnknownError`: it may have been applied); checked four times per `queueTimeout`, so a
   * command waits between 1 and 1.25 times that.
   */
  private armQueueTimer(): void {
    if (this.queueTimer !== undefined || this.closed) return;
    const waitedMs = this.settings.queueTimeout;
    this.queueTimer = setTimeout(() => {
      this.queueTimer = undefined;
      if (this.closed || this.client.status === 'ready') return;
      const cutoff = Date.now() - waitedMs;
      const context = { alias: this.alias, cause: this.lastError };
      failWaiting(
        this.client,
        (command) => (firstSentAt(command) ?? 0) <= cutoff,
        new NodeUnavailableError(this.role, waitedMs, context),
      );
      failStranded(
        this.client,
        (command) => (this.diedAt.get(command) ?? 0) <= cutoff,
        (command) => new OutcomeUnknownError(this.role, command.name, waitedMs, context),
      );
      this.armQueueTimer();
    }, waitedMs / 4);
  }
}
