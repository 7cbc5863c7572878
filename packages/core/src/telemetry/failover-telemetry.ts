import type { Attributes } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import { ATTR } from './names.js';
import { activeTelemetry } from './telemetry-state.js';

interface Hold {
  /** `performance.now()` when the hold opened, and when it ended (undefined while it is open). */
  start: number;
  end: number | undefined;
}

const byClient = new WeakMap<Redis, FailoverTelemetry>();

/**
 * One connector's failovers as metrics — each switch, how long new writes were held, how long from
 * the switch to the first command the new master acknowledged — and its latest hold, which a cache
 * call on its write client asks to learn whether it waited in it.
 */
export class FailoverTelemetry {
  private hold: Hold | undefined;
  private switchedAt: number | undefined;
  private readonly attributes: Attributes;

  constructor(writeClient: Redis, masterName: string, alias: string | undefined) {
    this.attributes =
      alias === undefined
        ? { [ATTR.masterName]: masterName }
        : { [ATTR.masterName]: masterName, [ATTR.alias]: alias };
    byClient.set(writeClient, this);
  }

  /** The telemetry of the connector whose write client `client` is, if it has one. */
  static of(client: Redis): FailoverTelemetry | undefined {
    return byClient.get(client);
  }

  /** New writes are held from now; a hold already open keeps its start. */
  holdOpened(): void {
    if (this.hold !== undefined && this.hold.end === undefined) return;
    this.hold = { start: performance.now(), end: undefined };
  }

  /** Held writes went out (switch, abort or timeout). */
  holdEnded(): void {
    const hold = this.hold;
    if (hold === undefined || hold.end !== undefined) return;
    hold.end = performance.now();
    activeTelemetry()?.metrics?.holdDuration.record((hold.end - hold.start) / 1000, this.attributes);
  }

  /** The master moved: counted once per switch, and the resume clock starts. */
  switched(): void {
    this.switchedAt = performance.now();
    activeTelemetry()?.metrics?.failovers.add(1, this.attributes);
  }

  /** True while the write client waits for the first acknowledgement after a switch. */
  get resuming(): boolean {
    return this.switchedAt !== undefined;
  }

  /** A command sent on the write client after the switch was acknowledged; the first ends the clock. */
  acknowledged(): void {
    const since = this.switchedAt;
    if (since === undefined) return;
    this.switchedAt = undefined;
    activeTelemetry()?.metrics?.resumeDuration.record((performance.now() - since) / 1000, this.attributes);
  }

  /**
   * Milliseconds a call sent at `start` and settled at `end` (`performance.now()`) waited in the
   * hold: the hold was open when it was sent; 0 otherwise.
   */
  heldFor(start: number, end: number): number {
    const hold = this.hold;
    if (hold === undefined || hold.start > start || (hold.end !== undefined && hold.end < start)) return 0;
    return Math.min(hold.end ?? end, end) - start;
  }
}
