import type { Redis } from 'ioredis';
import type { CompanionOptions, FailoverEvent, MasterCompanion } from '../../connector/connector.js';
import type { NodeAddress } from '../../errors.js';

/** What the tracking link needs of the cache's connection (a `Connector` gives both). */
export interface TrackingConnection {
  companion(options: CompanionOptions): MasterCompanion;
  onFailover(listener: (event: FailoverEvent) => void): () => void;
}

/** Where the link reports what Redis told it. */
export interface TrackingSink {
  /** Redis says `key` changed (or expired, or was evicted). */
  invalidate(key: string): void;
  /** Any entry may be stale: a connection dropped, the master moved, or a FLUSHDB/FLUSHALL. */
  flush(): void;
}

const CHANNEL = '__redis__:invalidate';
/**
 * How soon to try linking again when the two connections are not (yet) on one master, or Redis
 * refused `CLIENT TRACKING` (an ACL without it): doubling from the first to the last.
 */
const RETRY_MS = { first: 50, last: 2000 };

const same = (a: NodeAddress | undefined, b: NodeAddress | undefined): boolean =>
  a !== undefined && b !== undefined && a.host === b.host && a.port === b.port;

/**
 * Server-assisted invalidation on the master: a RESP2 subscriber on `__redis__:invalidate` (ioredis
 * 6 speaks RESP3 by default and drops `invalidate` pushes), and a tracking connection whose reads
 * Redis remembers and whose invalidations it redirects there (`CLIENT TRACKING ON REDIRECT <id>`).
 * The link is `armed` — replies to its reads may be kept — only while both are connected to the same
 * master and tracking points at the live subscriber; every drop of either, every failover, and every
 * FLUSHDB/FLUSHALL flushes. A replica sends no invalidation for the writes it replicates, which is
 * why both live on the master.
 */
export class TrackingLink {
  private readonly subscriber: MasterCompanion;
  private readonly tracker: MasterCompanion;
  private readonly unfollow: () => void;
  private subscriberId: string | undefined;
  private subscriberNode: NodeAddress | undefined;
  /** The master the latest failover named; `undefined` before any. */
  private master: NodeAddress | undefined;
  /** Bumped whenever a link in progress stops counting: a drop, a failover, `close()`. */
  private incarnation = 0;
  private linked = false;
  private linking = false;
  private retry: NodeJS.Timeout | undefined;
  private retryMs = RETRY_MS.first;
  private closed = false;

  constructor(
    connection: TrackingConnection,
    private readonly sink: TrackingSink,
  ) {
    this.subscriber = connection.companion({ purpose: 'near-cache-invalidations', subscriber: true });
    this.tracker = connection.companion({ purpose: 'near-cache-reads' });
    const sub = this.subscriber.client;
    sub.on('ready', () => void this.subscribe());
    sub.on('close', () => this.lost(true));
    sub.on('messageBuffer', (channel: Buffer, message: unknown) => this.onMessage(channel, message));
    this.tracker.client.on('ready', () => void this.link());
    this.tracker.client.on('close', () => this.lost(false));
    this.unfollow = connection.onFailover((event) => {
      this.master = event.to;
      this.lost(false);
      void this.link();
    });
  }

  /** The client misses are read on: the tracked connection to the master. */
  get client(): Redis {
    return this.tracker.client;
  }

  /** True while a reply read on `client` now may be kept: Redis will say when it changes. */
  get armed(): boolean {
    return this.linked;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lost(true);
    clearTimeout(this.retry);
    this.unfollow();
    this.subscriber.close();
    this.tracker.close();
  }

  private async subscribe(): Promise<void> {
    const at = this.incarnation;
    const sub = this.subscriber.client;
    try {
      // CLIENT ID first: a RESP2 connection cannot run it once subscribed.
      const id = String(await sub.call('CLIENT', 'ID'));
      await sub.subscribe(CHANNEL);
      if (at !== this.incarnation || this.closed) return;
      this.subscriberId = id;
      this.subscriberNode = this.subscriber.node();
      await this.link();
    } catch {
      // The connection dropped under us; its next `ready` subscribes again.
    }
  }

  /** Points tracking at the subscriber once both are on the master; then replies may be kept. */
  private async link(): Promise<void> {
    const id = this.subscriberId;
    if (this.linked || this.linking || this.closed || id === undefined) return;
    const tracker = this.tracker.client;
    if (tracker.status !== 'ready') return;
    const node = this.tracker.node();
    if (!same(node, this.subscriberNode) || (this.master !== undefined && !same(node, this.master))) {
      this.retryLater();
      return;
    }
    const at = this.incarnation;
    this.linking = true;
    try {
      await tracker.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id);
    } catch {
      this.retryLater();
      return;
    } finally {
      this.linking = false;
    }
    if (at !== this.incarnation) {
      void this.link();
      return;
    }
    // Entries filled while unlinked were never tracked.
    this.sink.flush();
    this.linked = true;
    this.retryMs = RETRY_MS.first;
  }

  private retryLater(): void {
    if (this.closed || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.link();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MS.last);
    this.retry.unref();
  }

  /** A connection dropped or the master moved: nothing held can be trusted until linked again. */
  private lost(subscriber: boolean): void {
    this.incarnation += 1;
    this.linked = false;
    if (subscriber) {
      this.subscriberId = undefined;
      this.subscriberNode = undefined;
    }
    this.sink.flush();
  }

  private onMessage(channel: Buffer, message: unknown): void {
    if (channel.toString() !== CHANNEL) return;
    // A FLUSHDB/FLUSHALL (in any db: tracking is by key name) invalidates with no key.
    if (message === null || message === undefined) {
      this.sink.flush();
      return;
    }
    const keys = Array.isArray(message) ? message : [message];
    for (const key of keys) this.sink.invalidate(String(key));
  }
}
