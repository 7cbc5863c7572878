import type { Command, Redis } from 'ioredis';
import { mayBlock } from './blocking-commands.js';
import { bytesRead, oldestPending } from './ioredis/client-internals.js';

/**
 * Notices a node that stopped answering while the socket stays open — a partition that drops
 * packets, a firewall that black-holes them — which neither TCP nor ioredis reports for minutes.
 * Four times per `timeoutMs` it looks at the oldest command awaiting its reply on the client's
 * socket: when that command and the bytes read from the socket have not changed for `timeoutMs`,
 * `onSilent` runs. A blocking command at the head (BLPOP, XREAD, WAIT, …) stops the clock, since its
 * reply comes when it says; the commands behind it wait for it in Redis too.
 */
export class ReplyWatchdog {
  private readonly timer: NodeJS.Timeout;
  private head: Command | undefined;
  private read = 0;
  private since = 0;

  constructor(
    private readonly client: Redis,
    private readonly timeoutMs: number,
    private readonly onSilent: (silentMs: number) => void,
  ) {
    this.timer = setInterval(() => this.check(), Math.max(timeoutMs / 4, 1));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const head = this.client.status === 'ready' ? oldestPending(this.client) : undefined;
    if (head === undefined || mayBlock(head)) {
      this.head = undefined;
      return;
    }
    const now = Date.now();
    const read = bytesRead(this.client) ?? 0;
    if (head !== this.head || read !== this.read) {
      this.head = head;
      this.read = read;
      this.since = now;
      return;
    }
    const silentMs = now - this.since;
    if (silentMs >= this.timeoutMs) {
      this.head = undefined;
      this.onSilent(silentMs);
    }
  }
}
