import type { Command, Redis } from 'ioredis';
import { inHandshake, interceptSendCommand, type SendCommand } from './ioredis/client-internals.js';

interface Held {
  command: Command;
  stream: unknown;
}

const FIRST_SENT = Symbol('sentinel-kit.firstSent');
const ACK_WATCHED = Symbol('sentinel-kit.ackWatched');

/** When (ms since epoch) the command was first given to a guarded client; ioredis may resend it later. */
export function firstSentAt(command: Command): number | undefined {
  return (command as Command & { [FIRST_SENT]?: number })[FIRST_SENT];
}

/**
 * Sits in front of one ioredis client's `sendCommand`, so `master()` stays a real `Redis` while
 * sentinel-kit decides when its commands may leave:
 *
 * - while a failover is open (a sentinel published `+try-failover`, `+selected-slave` or
 *   `+promoted-slave`) commands are held here, because the old master keeps acknowledging writes
 *   that are thrown away once it is demoted; `release()` sends them on, in order, to wherever the
 *   client is connected by then (ioredis's own offline queue takes them while it reconnects);
 * - every command's rejection goes through `translate`, so callers see typed errors, and every
 *   command is stamped with when it was first sent (`firstSentAt`), so a wait can be bounded.
 *
 * The connection handshake (AUTH, SELECT, the INFO role check) is never held: it is what lets the
 * client reach the new master.
 *
 * It is also the door `close()` shuts: from then on every command, and every one still held, fails
 * at once, so no call made on a closed connector waits for anything.
 */
export class FailoverGuard {
  private held: Held[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closedWith: Error | undefined;
  private onAcknowledged: (() => void) | undefined;
  private readonly send: SendCommand;

  constructor(
    private readonly client: Redis,
    private readonly holdTimeoutMs: number,
    private readonly translate: (error: Error) => Error,
    private readonly onHoldTimeout: () => void,
    /** The error a command must fail with instead of going out now, if any (a resend out of its window). */
    private readonly refuse: (command: Command) => Error | undefined = () => undefined,
  ) {
    this.send = interceptSendCommand(client, (command, stream) => this.sendCommand(command, stream));
  }

  get holding(): boolean {
    return this.timer !== undefined;
  }

  /** Starts holding commands; a hold already open keeps its original deadline. */
  hold(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.release();
      this.onHoldTimeout();
    }, this.holdTimeoutMs);
  }

  /** Sends every held command, oldest first, and stops holding. */
  release(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const held = this.held;
    this.held = [];
    for (const { command, stream } of held) {
      const refused = this.refuse(command);
      if (refused !== undefined) {
        command.reject(refused);
        continue;
      }
      if (this.onAcknowledged !== undefined) this.watchAcknowledgement(command);
      this.send(command, stream);
    }
  }

  /**
   * Calls `onAcknowledged` once, when the first of the commands sent from now on (held ones
   * included, the handshake not) gets its reply: how the time to resume after a switch is measured.
   */
  awaitAcknowledgement(onAcknowledged: () => void): void {
    this.onAcknowledged = onAcknowledged;
  }

  /** Fails every held command, and every command sent from now on, with `error`. */
  close(error: Error): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.closedWith = error;
    const held = this.held;
    this.held = [];
    for (const { command } of held) command.reject(error);
  }

  private sendCommand(command: Command, stream?: unknown): unknown {
    this.translateRejections(command);
    if (this.closedWith !== undefined) {
      command.reject(this.closedWith);
      return command.promise;
    }
    const refused = this.refuse(command);
    if (refused !== undefined) {
      command.reject(refused);
      return command.promise;
    }
    if (this.onAcknowledged !== undefined && !inHandshake(this.client)) this.watchAcknowledgement(command);
    if (this.timer !== undefined && !inHandshake(this.client)) {
      this.held.push({ command, stream });
      return command.promise;
    }
    return this.send(command, stream);
  }

  private watchAcknowledgement(command: Command): void {
    const marked = command as Command & { [ACK_WATCHED]?: true };
    if (marked[ACK_WATCHED]) return;
    marked[ACK_WATCHED] = true;
    const resolve = command.resolve;
    command.resolve = (value: unknown) => {
      const onAcknowledged = this.onAcknowledged;
      this.onAcknowledged = undefined;
      onAcknowledged?.();
      resolve(value);
    };
  }

  /** ioredis may send one command several times (offline queue, resend after reconnect): wrap once. */
  private translateRejections(command: Command): void {
    const marked = command as Command & { [FIRST_SENT]?: number };
    if (marked[FIRST_SENT] !== undefined) return;
    marked[FIRST_SENT] = Date.now();
    const reject = command.reject;
    command.reject = (error: Error) => reject(this.translate(error));
  }
}
