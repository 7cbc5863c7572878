import type { Socket } from 'node:net';
import type { Command, Redis } from 'ioredis';

/**
 * Every ioredis member the connector uses that ioredis does not type publicly, in this one file:
 * - `reconnectTimeout` and `stream`, to cut a reconnect delay short or drop a socket whose peer hangs;
 * - `offlineQueue` and `flushQueue`, to fail waiting commands with a typed error;
 * - `sendCommand` and `condition`, to hold commands while a failover is open, but not the handshake;
 * - `connector.check`, the sentinel connector's role check, the only trace of a demoted master.
 * ioredis is pinned to its minor version for these; `assertClientInternals` (run for every client
 * the connector opens, and by a test) fails loudly when one of them changes shape.
 */
interface Internals {
  status: string;
  offlineQueue: {
    length: number;
    peekAt(i: number): { command: Command } | undefined;
    remove(i: number, n: number): void;
  };
  stream?: Socket;
  reconnectTimeout: NodeJS.Timeout | null;
  flushQueue(error: Error): void;
  condition: { handshake?: boolean } | null;
  sendCommand: SendCommand;
  connector: { check?(info: { role?: string }): boolean };
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
  const queue = inner.offlineQueue as Partial<Internals['offlineQueue']> | undefined;
  if (typeof queue?.peekAt !== 'function' || typeof queue.remove !== 'function') {
    problems.push('offlineQueue.peekAt()/remove()');
  }
  if (!('reconnectTimeout' in inner)) problems.push('reconnectTimeout');
  if (options.sentinel && typeof inner.connector?.check !== 'function') problems.push('connector.check()');
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

/** Fails every command queued on the client (offline or in flight) with `error`. */
export function failQueued(client: Redis, error: Error): void {
  internals(client).flushQueue(error);
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
  const original = inner.sendCommand.bind(client);
  inner.sendCommand = intercept;
  return original;
}

/** True while the client runs its connection handshake (AUTH, SELECT, the INFO role check). */
export function inHandshake(client: Redis): boolean {
  const inner = internals(client);
  return inner.status === 'connect' && inner.condition?.handshake === true;
}
