import type { NodeAddress } from '../errors.js';
import type { SentinelAdmin, SentinelSubscription } from '../sentinel/sentinel-admin.js';
import type { SentinelEvent } from '../sentinel/sentinel-events.js';

export interface MasterWatchHandlers {
  /** A sentinel published an event about this master or one of its replicas. */
  event(event: SentinelEvent): void;
  /** The master a sentinel names now (already through `natMap`). */
  master(address: NodeAddress): void;
  /** The replicas a sentinel considers usable now (no `s_down`, `o_down` or `disconnected` flag). */
  replicas(healthy: NodeAddress[]): void;
  /** One sentinel's trouble, or a check that failed on every sentinel; never fatal. */
  error(error: Error): void;
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
 * Keeps a connector's view of the topology fresh from the sentinels: an event subscription on every
 * sentinel (retried until at least one accepts), plus a periodic check of the master address and
 * the usable replicas, so a missed message or a hung master that stays connected is still noticed.
 */
export class MasterWatch {
  private subscription: SentinelSubscription | undefined;
  private subscribing = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly admin: SentinelAdmin,
    private readonly intervalMs: number,
    private readonly handlers: MasterWatchHandlers,
  ) {
    admin.on('sentinelError', (error: Error) => handlers.error(error));
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
    this.schedule(this.intervalMs);
  }

  private report(error: Error): void {
    if (!this.closed) this.handlers.error(error);
  }
}
