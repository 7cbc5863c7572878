import type { Socket } from 'node:net';
import type { Command, Redis } from 'ioredis';

/**
 * The few ioredis internals the connector steers, kept in this one file: the pending reconnect timer
 * (to cut a wait short when a sentinel names the new master), the socket (to drop one that hangs),
 * `flushQueue` and the offline queue (to fail queued commands with a typed error).
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
}

const internals = (client: Redis): Internals => client as unknown as Internals;

/**
 * ioredis's `retryStrategy` with a short, capped, linear delay (ioredis 6's default grows
 * exponentially to seconds), and a way to make the next reconnect immediate.
 */
export class ReconnectDelay {
  private immediate = false;

  constructor(private readonly maxMs: number) {}

  readonly strategy = (attempt: number): number => {
    if (this.immediate) {
      this.immediate = false;
      return 0;
    }
    return Math.min(attempt * 25, this.maxMs);
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
  const connector = (client as unknown as { connector: { check(info: { role?: string }): boolean } })
    .connector;
  const check = connector.check.bind(connector);
  connector.check = (info) => {
    const matches = check(info);
    if (!matches) onMismatch(info.role);
    return matches;
  };
}
