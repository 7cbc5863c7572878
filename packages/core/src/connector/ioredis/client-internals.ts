import type { Socket } from 'node:net';
import { type Command, Redis } from 'ioredis';
import type { NodeAddress } from '../../errors.js';

/**
 * Every ioredis member the connector uses that ioredis does not type publicly, in this one file:
 * - `reconnectTimeout` and `stream`, to cut a reconnect delay short or drop a socket whose peer hangs,
 *   and to name the node a command was answered by in telemetry;
 * - `offlineQueue`, `prevCommandQueue` and `flushQueue`, to fail waiting commands with a typed
 *   error: the offline queue holds commands not sent yet, `prevCommandQueue` those written to a
 *   socket that died unanswered (ioredis resends them once it reconnects, and has no bound on that);
 * - `commandQueue` and the socket's `bytesRead`, to notice a node that stopped answering;
 * - `sendCommand` and `condition`, to hold commands while a failover is open, but not the handshake;
 * - `connector.check`, the sentinel connector's role check, the only trace of a demoted master;
 * - `connector.connectToSentinel`, the one place ioredis opens a client to ask a sentinel: it walks
 *   the sentinel list on its own, and goes on after `disconnect()` until the answer it awaits comes;
 * - `connector.stream` and `setStatus`, to close a client at once whatever its state: `disconnect()`
 *   on a client whose socket already died leaves it `reconnecting` forever, with a 2 s timer.
 * ioredis is pinned to its minor version for these; `assertClientInternals` (run for every client
 * the connector opens, and by a test) fails loudly when one of them changes shape.
 */
interface Queue {
  length: number;
  peekAt(i: number): { command: Command } | undefined;
  remove(i: number, n: number): void;
  shift(): { command: Command } | undefined;
}

interface Internals {
  status: string;
  offlineQueue: Queue;
  /** The commands written to the current socket and awaiting their replies, oldest first. */
  commandQueue: Queue;
  /** Absent until a socket dies with commands in flight; null once they were resent. */
  prevCommandQueue?: Queue | null;
  stream?: Socket;
  reconnectTimeout: NodeJS.Timeout | null;
  flushQueue(error: Error, options?: { offlineQueue?: boolean; commandQueue?: boolean }): void;
  setStatus(status: string): void;
  condition: { handshake?: boolean } | null;
  sendCommand: SendCommand;
  connector: {
    check?(info: { role?: string }): boolean;
    stream?: Socket;
    connectToSentinel?: (endpoint: NodeAddress, options?: object) => Redis;
  };
}

export type SendCommand = (command: Command, stream?: unknown) => unknown;

const internals = (client: Redis): Internals => client as unknown as Internals;

/**
 * Throws when the client lacks a member this module relies on, naming it, so an ioredis release
 * that renames one is caught at the first connection rather than as a silent misbehaviour.
 * `sentinel` also checks the sentinel connector's role check.
 */
export function assertClientInternals(client: Redis, options: { sentinel: boolean }): void {
  const inner = internals(client);
  const problems: string[] = [];
  if (typeof inner.flushQueue !== 'function') problems.push('flushQueue()');
  if (typeof inner.sendCommand !== 'function') problems.push('sendCommand()');
  if (typeof inner.setStatus !== 'function') problems.push('setStatus()');
  const queue = inner.offlineQueue as Partial<Queue> | undefined;
  if (typeof queue?.peekAt !== 'function' || typeof queue.remove !== 'function') {
    problems.push('offlineQueue.peekAt()/remove()');
  }
  const pending = inner.commandQueue as Partial<Queue> | undefined;
  if (typeof pending?.peekAt !== 'function' || typeof pending.shift !== 'function') {
    problems.push('commandQueue.peekAt()/shift()');
  }
  const stranded = inner.prevCommandQueue as Partial<Queue> | null | undefined;
  if (stranded != null && (typeof stranded.peekAt !== 'function' || typeof stranded.remove !== 'function')) {
    problems.push('prevCommandQueue.peekAt()/remove()');
  }
  if (!('reconnectTimeout' in inner)) problems.push('reconnectTimeout');
  if (typeof inner.connector !== 'object' || inner.connector === null) problems.push('connector');
  if (options.sentinel && typeof inner.connector?.check !== 'function') problems.push('connector.check()');
  if (options.sentinel && typeof inner.connector?.connectToSentinel !== 'function') {
    problems.push('connector.connectToSentinel()');
  }
  if (problems.length > 0) {
    throw new Error(
      `sentinel-kit needs ioredis internals that this ioredis version lacks: ${problems.join(', ')}. ` +
        'Install the ioredis version @sentinel-kit/core depends on.',
    );
  }
}

/**
 * ioredis's `retryStrategy` with a short, capped, linear delay (ioredis 6's default grows
 * exponentially to seconds), jittered between half and all of it so a fleet of processes that lost
 * one master does not reconnect in step, and a way to make the next reconnect immediate.
 */
export class ReconnectDelay {
  private immediate = false;

  constructor(private readonly maxMs: number) {}

  readonly strategy = (attempt: number): number => {
    if (this.immediate) {
      this.immediate = false;
      return 0;
    }
    return Math.round(Math.min(attempt * 25, this.maxMs) * (0.5 + Math.random() / 2));
  };

  /** The next reconnect starts at once. */
  skipNext(): void {
    this.immediate = true;
  }
}

/**
 * Makes the client resolve its node again now: drops the socket (even one whose peer hangs, which a
 * graceful close would wait on) or cuts a pending reconnect delay short. Commands in flight are
 * resent on the new connection by ioredis.
 */
export function reconnectNow(client: Redis, delay: ReconnectDelay): void {
  const inner = internals(client);
  if (inner.status === 'end' || inner.status === 'wait') return;
  if (inner.status === 'reconnecting' && inner.reconnectTimeout !== null) {
    clearTimeout(inner.reconnectTimeout);
    inner.reconnectTimeout = null;
    client.connect().catch(() => {});
    return;
  }
  if (inner.stream !== undefined && !inner.stream.destroyed) {
    delay.skipNext();
    inner.stream.destroy();
  }
}

/** Drops the socket if the client is still in its handshake (status `connect`): its node hangs. */
export function dropIfStillHandshaking(client: Redis, delay: ReconnectDelay): void {
  if (internals(client).status === 'connect') reconnectNow(client, delay);
}

/**
 * Fails the commands waiting in the client's offline queue that `expired` selects, with `error`;
 * the others keep their place.
 */
export function failWaiting(client: Redis, expired: (command: Command) => boolean, error: Error): void {
  const queue = internals(client).offlineQueue;
  for (let i = 0; i < queue.length; ) {
    const item = queue.peekAt(i);
    if (item !== undefined && expired(item.command)) {
      queue.remove(i, 1);
      item.command.reject(error);
    } else {
      i++;
    }
  }
}

/** The oldest command written to the client's socket and still awaiting its reply. */
export function oldestPending(client: Redis): Command | undefined {
  return internals(client).commandQueue.peekAt(0)?.command;
}

/** Bytes read from the client's socket so far; `undefined` without one. */
export function bytesRead(client: Redis): number | undefined {
  return internals(client).stream?.bytesRead;
}

/**
 * Fails every command awaiting its reply on the client's socket, each with `error(command)`, and
 * drops the socket, so none of them is resent; the client reconnects at once (see `reconnectNow`)
 * and sends its queued commands there.
 */
export function abandonSocket(
  client: Redis,
  delay: ReconnectDelay,
  error: (command: Command) => Error,
): void {
  const queue = internals(client).commandQueue;
  for (let item = queue.shift(); item !== undefined; item = queue.shift())
    item.command.reject(error(item.command));
  reconnectNow(client, delay);
}

/** Fails every command queued on the client (offline or in flight) with `error`. */
export function failQueued(client: Redis, error: Error): void {
  internals(client).flushQueue(error);
}

/**
 * The commands that were written to a socket which then died unanswered. ioredis keeps them to
 * resend once the client is ready again, and until then nothing bounds their wait.
 */
export function strandedCommands(client: Redis): Command[] {
  const queue = internals(client).prevCommandQueue;
  const commands: Command[] = [];
  for (let i = 0; queue != null && i < queue.length; i++) {
    const item = queue.peekAt(i);
    if (item !== undefined) commands.push(item.command);
  }
  return commands;
}

/** Fails the stranded commands (see `strandedCommands`) that `expired` selects, each with its `error`. */
export function failStranded(
  client: Redis,
  expired: (command: Command) => boolean,
  error: (command: Command) => Error,
): void {
  const queue = internals(client).prevCommandQueue;
  for (let i = 0; queue != null && i < queue.length; ) {
    const item = queue.peekAt(i);
    if (item !== undefined && expired(item.command)) {
      queue.remove(i, 1);
      item.command.reject(error(item.command));
    } else {
      i++;
    }
  }
}

/**
 * Ends the client now, whatever its state: destroys its socket (a graceful close waits up to 2 s on
 * a peer that never answers, such as a paused node), cancels a pending reconnect, and leaves it
 * `end`. Commands it still holds fail as ioredis fails them ("Connection is closed").
 */
export function dropNow(client: Redis): void {
  const inner = internals(client);
  // ioredis's disconnect() ends the connector's socket and destroys it 2 s later unless it closes;
  // one that closed already never does, and its timer would outlive the client. Forgetting the
  // destroyed socket keeps a later disconnect() (ioredis's own, after a failed command) from that.
  if (inner.connector.stream?.destroyed) inner.connector.stream = undefined;
  client.disconnect();
  inner.stream?.destroy();
  inner.connector.stream?.destroy();
  inner.connector.stream = undefined;
  // With no socket left and its reconnect timer cancelled, nothing would move it on from here.
  if (inner.status === 'reconnecting') inner.setStatus('end');
}

/**
 * Closes the client at once (see `dropNow`), first failing every command it holds: those never
 * written (the offline queue) with `unsent`, those written and unanswered (in flight now, or
 * stranded by a socket that died) with `inFlight`.
 */
export function closeNow(client: Redis, errors: { unsent: Error; inFlight: Error }): void {
  const inner = internals(client);
  failStranded(
    client,
    () => true,
    () => errors.inFlight,
  );
  inner.prevCommandQueue = null;
  inner.flushQueue(errors.unsent, { offlineQueue: true, commandQueue: false });
  inner.flushQueue(errors.inFlight, { offlineQueue: false, commandQueue: true });
  dropNow(client);
}

/** The sentinel clients of one ioredis client's sentinel walk; see `watchSentinelWalk`. */
export interface SentinelWalk {
  /** Closes every sentinel client the walk has open, and each one it opens from now on at once. */
  stop(): void;
}

export interface SentinelWalkOptions {
  /** Milliseconds one sentinel gets to connect and answer before its client is dropped. */
  deadlineMs: number;
  /** A sentinel client's socket failed (refused, reset): the cause ioredis's own messages lose. */
  onSocketError(sentinel: NodeAddress, error: Error): void;
  /** A sentinel did not connect and answer within `deadlineMs`. */
  onTimeout(sentinel: NodeAddress): void;
}

/**
 * Watches the clients ioredis's sentinel connector opens to ask the sentinels where the node is.
 * Each gets one deadline covering connect and answer (ioredis times the connect and each command
 * apart), its socket errors are passed on, and `stop()` ends the walk: ioredis goes on asking the
 * next sentinel after `disconnect()` until the answer it awaits comes.
 */
export function watchSentinelWalk(client: Redis, options: SentinelWalkOptions): SentinelWalk {
  const connector = internals(client).connector as Required<
    Pick<Internals['connector'], 'connectToSentinel'>
  >;
  const open = connector.connectToSentinel.bind(connector);
  /** Each open sentinel client, with its deadline. */
  const live = new Map<Redis, NodeJS.Timeout>();
  let stopped = false;
  connector.connectToSentinel = (endpoint, extra) => {
    const sentinel = open(endpoint, extra);
    if (stopped) {
      dropNow(sentinel);
      return sentinel;
    }
    const address = { host: endpoint.host, port: endpoint.port };
    const deadline = setTimeout(() => {
      options.onTimeout(address);
      dropNow(sentinel);
    }, options.deadlineMs);
    live.set(sentinel, deadline);
    sentinel.on('error', (error: Error) => options.onSocketError(address, error));
    sentinel.once('end', () => {
      clearTimeout(deadline);
      live.delete(sentinel);
    });
    return sentinel;
  };
  return {
    stop: () => {
      stopped = true;
      for (const [sentinel, deadline] of live) {
        clearTimeout(deadline);
        dropNow(sentinel);
      }
      live.clear();
    },
  };
}

/**
 * Calls `onMismatch` whenever ioredis's ready check finds the resolved node in the wrong role (a
 * replica where the sentinels named a master); ioredis then quietly reconnects, so this is the only
 * trace of a demoted master that no sentinel replaces.
 */
export function onRoleMismatch(client: Redis, onMismatch: (role: string | undefined) => void): void {
  const connector = internals(client).connector as { check(info: { role?: string }): boolean };
  const check = connector.check.bind(connector);
  connector.check = (info) => {
    const matches = check(info);
    if (!matches) onMismatch(info.role);
    return matches;
  };
}

/**
 * Puts `intercept` in front of the client's `sendCommand`, the one door every command (and every
 * resend) passes, and returns the original, for `intercept` to call when a command may go.
 */
export function interceptSendCommand(client: Redis, intercept: SendCommand): SendCommand {
  const inner = internals(client);
  const prototype = Object.getPrototypeOf(client) as Internals;
  inner.sendCommand = intercept;
  // Looked up on every send, not bound once: an instrumentation (@opentelemetry/instrumentation-ioredis)
  // that wraps the prototype's method after this client was created still sees its commands.
  return (command, stream) => prototype.sendCommand.call(client, command, stream);
}

/** The node the client's socket is connected to now, as the socket names it; none for a Unix socket. */
export function connectedNode(client: Redis): NodeAddress | undefined {
  const stream = internals(client).stream;
  const host = stream?.remoteAddress;
  const port = stream?.remotePort;
  return host === undefined || port === undefined ? undefined : { host, port };
}

/**
 * A client that never connects and fails every command (pipelines too) with `error` at once: what a
 * closed cache hands out in place of a connector's, so a call after `close()` opens nothing.
 */
export function closedClient(error: Error): Redis {
  const client = new Redis({ lazyConnect: true, enableOfflineQueue: false, retryStrategy: null });
  interceptSendCommand(client, (command) => {
    command.reject(error);
    return command.promise;
  });
  internals(client).setStatus('end');
  return client;
}

/** True while the client runs its connection handshake (AUTH, SELECT, the INFO role check). */
export function inHandshake(client: Redis): boolean {
  const inner = internals(client);
  return inner.status === 'connect' && inner.condition?.handshake === true;
}
