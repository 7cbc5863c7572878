import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import type { RedisNode } from './redis-node.js';

/** One message a sentinel published on its event channels. */
export interface SentinelEvent {
  /** The sentinel's name (`sentinel-0`, …). */
  sentinel: string;
  /** The channel, which is the event type: `+sdown`, `+switch-master`, … */
  type: string;
  message: string;
  /** When it arrived, in ms since the epoch. */
  at: number;
}

/** The new master announced by a `+switch-master`, and when the first sentinel said so. */
export interface SwitchEvent {
  host: string;
  port: number;
  at: number;
}

type Waiter = { since: number; resolve: (event: SwitchEvent) => void };

/** Events a timed-out wait lists: enough to follow a failover's states from every sentinel. */
const MAX_EVENTS_DESCRIBED = 40;

/**
 * Subscribes to every channel of every sentinel from start-up on, so a test that asks for "the next
 * switch" can never miss one that happened between its trigger and its subscription.
 */
export class SentinelEventLog {
  readonly all: SentinelEvent[] = [];
  private readonly subscribers: Redis[] = [];
  private waiters: Waiter[] = [];

  constructor(
    private readonly sentinels: RedisNode[],
    private readonly password: string | undefined,
    private readonly tls: ConnectionOptions | undefined,
  ) {}

  async open(): Promise<void> {
    await Promise.all(
      this.sentinels.map(async (sentinel) => {
        const subscriber = new Redis({
          host: sentinel.host,
          port: sentinel.port,
          password: this.password,
          tls: this.tls,
          retryStrategy: () => 100,
        });
        subscriber.on('error', () => {});
        subscriber.on('pmessage', (_pattern: string, type: string, message: string) =>
          this.record({ sentinel: sentinel.name, type, message, at: Date.now() }),
        );
        this.subscribers.push(subscriber);
        await subscriber.psubscribe('*');
      }),
    );
  }

  private record(event: SentinelEvent): void {
    this.all.push(event);
    if (event.type !== '+switch-master') return;
    // "<master-name> <old-ip> <old-port> <new-ip> <new-port>"
    const [, , , host = '', port = ''] = event.message.split(' ');
    const ready = this.waiters.filter((w) => w.since <= event.at);
    this.waiters = this.waiters.filter((w) => w.since > event.at);
    for (const waiter of ready) waiter.resolve({ host, port: Number(port), at: event.at });
  }

  nextSwitch(timeoutMs: number): Promise<SwitchEvent> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        since: Date.now(),
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `No sentinel published +switch-master within ${timeoutMs} ms. ${this.describeSince(waiter.since)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * What the sentinels said since `since`, for a wait that timed out: an aborted failover
   * (`-failover-abort-no-good-slave`, `-failover-abort-not-elected`, …) says why no switch came.
   */
  private describeSince(since: number): string {
    const events = this.all.filter((e) => e.at >= since && !e.type.startsWith('__sentinel__:'));
    if (events.length === 0) return 'The sentinels published nothing in that time.';
    const lines = events
      .slice(-MAX_EVENTS_DESCRIBED)
      .map((e) => `+${e.at - since} ms ${e.sentinel} ${e.type} ${e.message}`);
    const skipped = events.length - lines.length;
    return `What they published${skipped > 0 ? ` (the last ${lines.length} of ${events.length})` : ''}:\n${lines.join('\n')}`;
  }

  close(): void {
    for (const subscriber of this.subscribers) subscriber.disconnect();
    this.subscribers.length = 0;
  }
}
