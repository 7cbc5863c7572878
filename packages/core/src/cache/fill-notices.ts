import { type CacheClient, isCluster } from './cache-client.js';

/** One channel's listeners in this process, and how many announcements it had. */
interface Channel {
  listeners: number;
  seen: number;
  wakers: Set<() => void>;
  /** Settles once SUBSCRIBE was answered (or failed: the waiters' timers remain). */
  ready: Promise<void>;
}

/**
 * The release announcements of `getOrSet` fill locks, on one subscriber connection per cache
 * (opened on the first wait, a duplicate of the master client so it follows failovers the way
 * ioredis does: it re-resolves and resubscribes). A waiter subscribes to its key's channel, and a
 * holder's release wakes every waiter of every process at once, instead of each polling Redis.
 * Announcements are a shortcut, not the only signal: a waiter also looks again on a slow timer,
 * which covers a message lost in a reconnect and a holder that died without announcing.
 */
export class FillNotices {
  private client: CacheClient | undefined;
  private readonly channels = new Map<string, Channel>();
  private closed = false;

  constructor(private readonly open: () => CacheClient) {}

  /** Starts listening on `channel`; resolves once the subscription is in place. Pair with `unlisten`. */
  async listen(channel: string): Promise<void> {
    let state = this.channels.get(channel);
    if (state === undefined) {
      const ready = this.closed
        ? Promise.resolve()
        : this.subscriber()
            .subscribe(channel)
            .then(
              () => undefined,
              () => undefined,
            );
      state = { listeners: 0, seen: 0, wakers: new Set(), ready };
      this.channels.set(channel, state);
    }
    state.listeners += 1;
    await state.ready;
  }

  /** How many announcements `channel` has had so far; pass it to `next` to miss none in between. */
  seen(channel: string): number {
    return this.channels.get(channel)?.seen ?? 0;
  }

  /**
   * Resolves on the first announcement on `channel` after the `since`-th (at once if one already
   * came), or after `ms` milliseconds, whichever comes first.
   */
  next(channel: string, since: number, ms: number): Promise<void> {
    const state = this.channels.get(channel);
    if (state !== undefined && state.seen > since) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        state?.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      state?.wakers.add(done);
    });
  }

  /** One listener of `channel` is done; the last one unsubscribes. */
  unlisten(channel: string): void {
    const state = this.channels.get(channel);
    if (state === undefined) return;
    state.listeners -= 1;
    if (state.listeners > 0) return;
    this.channels.delete(channel);
    this.client?.unsubscribe(channel).catch(() => {});
  }

  /** Closes the subscriber connection; waits in progress still end on their timers. */
  close(): void {
    this.closed = true;
    this.client?.disconnect();
    this.client = undefined;
  }

  private subscriber(): CacheClient {
    if (this.client !== undefined) return this.client;
    const source = this.open();
    // A cluster's PUBLISH reaches every node, so a subscriber on any node hears each announcement.
    const client: CacheClient = isCluster(source) ? source.duplicate() : source.duplicate();
    // A subscriber's failures cost a wakeup at most; the waiter's timer covers them.
    client.on('error', () => {});
    client.on('message', (channel: string) => {
      const state = this.channels.get(channel);
      if (state === undefined) return;
      state.seen += 1;
      for (const wake of [...state.wakers]) wake();
    });
    this.client = client;
    return client;
  }
}
