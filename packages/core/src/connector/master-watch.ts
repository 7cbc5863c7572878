import type { NodeAddress, SentinelKitError } from '../errors.js';
import type { SentinelAdmin, SentinelSubscription } from '../sentinel/sentinel-admin.js';
import type { SentinelEvent } from '../sentinel/sentinel-events.js';
import { nodeTrouble } from './node-errors.js';

export interface MasterWatchHandlers {
  /** A sentinel published an event about this master or one of its replicas. */
  event(event: SentinelEvent): void;
  /** The master a sentinel names now (already through `natMap`). */
  master(address: NodeAddress): void;
  /** The replicas a sentinel considers usable now (no `s_down`, `o_down` or `disconnected` flag). */
  replicas(healthy: NodeAddress[]): void;
  /** One sentinel's trouble, or a check that failed on every sentinel, typed; never fatal. */
  error(error: SentinelKitError): void;
}

const UNUSABLE = new Set(['s_down', 'o_down', 'disconnected']);

/** Replica events after which the set of usable replicas may have changed. */
const REPLICA_EVENTS = new Set([
  '+sdown',
  '-sdown',
  '+odown',
  '-odown',
  '+slave',
  '+convert-to-slave',
  '+reboot',
  '+role-change',
  '-role-change',
  '+slave-reconf-done',
]);

/**
 * Keeps the connectors' view of one topology fresh from the sentinels: an event subscription on
 * every sentinel (retried until at least one accepts), plus a periodic check of the master address
 * and the usable replicas, so a missed message or a hung master that stays connected is still
 * noticed. One watch serves every connector of the topology in the process (see `SentinelWatches`):
 * each adds its handlers, and the sentinels see one subscription and one command connection each.
 */
export class MasterWatch {
  private subscription: SentinelSubscription | undefined;
  private subscribing = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly listeners = new Set<MasterWatchHandlers>();
  private readonly handlers: MasterWatchHandlers = {
    event: (event) => this.each((h) => h.event(event)),
    master: (address) => this.each((h) => h.master(address)),
    replicas: (healthy) => this.each((h) => h.replicas(healthy)),
    error: (error) => this.each((h) => h.error(error)),
  };

  constructor(
    private readonly admin: SentinelAdmin,
    private readonly intervalMs: number,
  ) {
    admin.on('sentinelError', (error: Error, sentinel: NodeAddress) =>
      this.handlers.error(nodeTrouble(error, { target: 'sentinel', node: sentinel, alias: undefined })),
    );
  }

  /** Adds one connector's handlers; returns the function that removes them. */
  add(handlers: MasterWatchHandlers): () => void {
    this.listeners.add(handlers);
    return () => {
      this.listeners.delete(handlers);
    };
  }

  start(): void {
    void this.subscribe();
    this.schedule(0);
  }

  /** Asks for the replicas now, outside the periodic rhythm (after a replica event). */
  refreshReplicas(): void {
    this.admin.replicas().then(
      (replicas) => {
        if (this.closed) return;
        const healthy = replicas
          .filter((r) => !r.flags.some((flag) => UNUSABLE.has(flag)))
          .map((r) => this.admin.translate({ host: r.ip, port: r.port }));
        this.handlers.replicas(healthy);
      },
      (error: Error) => this.report(error),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.subscription?.close();
    await this.admin.close();
  }

  private async subscribe(): Promise<void> {
    if (this.subscribing || this.subscription !== undefined) return;
    this.subscribing = true;
    try {
      const subscription = await this.admin.subscribe((event) => {
        if (!this.closed) this.onEvent(event);
      });
      if (this.closed) await subscription.close();
      else this.subscription = subscription;
    } catch (error) {
      this.report(error as Error);
    } finally {
      this.subscribing = false;
    }
  }

  private onEvent(event: SentinelEvent): void {
    this.handlers.event(event);
    if (event.instance?.type === 'slave' && REPLICA_EVENTS.has(event.type)) this.refreshReplicas();
  }

  private each(call: (handlers: MasterWatchHandlers) => void): void {
    for (const handlers of this.listeners) call(handlers);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.check(), delayMs);
  }

  private async check(): Promise<void> {
    if (this.subscription === undefined) void this.subscribe();
    try {
      const master = await this.admin.masterAddress();
      if (!this.closed) this.handlers.master(master);
    } catch (error) {
      this.report(error as Error);
    }
    this.refreshReplicas();
    // ±20 % jitter, so a fleet of processes started together does not ask the sentinels in step.
    this.schedule(this.intervalMs * (0.8 + 0.4 * Math.random()));
  }

  private report(error: Error): void {
    if (!this.closed)
      this.handlers.error(nodeTrouble(error, { target: 'sentinel', node: undefined, alias: undefined }));
  }
}
