import type { NodeAddress, SentinelEvent } from '@sentinel-kit/core';

/** A named stretch of a failover, between the first sightings of two events. */
export interface FailoverPhase {
  name: string;
  from: string;
  to: string;
  /** Milliseconds. */
  durationMs: number;
}

/** A finished failover: what moved where, how long it took, and how long each phase took. */
export interface FailoverSummary {
  masterName: string;
  outcome: 'switched' | 'aborted';
  from?: NodeAddress;
  to?: NodeAddress;
  /** The abort event, when the failover was aborted. */
  abortedBy?: string;
  startedAt: Date;
  /** Milliseconds from the first event of the failover to its end. */
  totalMs: number;
  phases: FailoverPhase[];
}

const PHASES: [name: string, from: string, to: string][] = [
  ['down detection', '+sdown', '+odown'],
  ['leader election', '+try-failover', '+elected-leader'],
  ['replica selection', '+elected-leader', '+selected-slave'],
  ['promotion', '+selected-slave', '+promoted-slave'],
  ['switch announced', '+promoted-slave', '+switch-master'],
  ['replica reconfiguration', '+failover-state-reconf-slaves', '+failover-end'],
];

/** Events that open a failover episode, when they concern the master. */
const OPENERS = new Set(['+sdown', '+odown', '+try-failover', '+new-epoch']);

/**
 * Follows the events of one master and hands back a summary when a failover ends: when the leader's
 * `+failover-end` and at least one `+switch-master` have both been seen, or at an abort. Only the
 * first sighting of each event counts, whichever sentinel published it. A master `+sdown` that
 * clears (`-sdown`) before any failover starts is dropped.
 */
export class FailoverTimeline {
  private first = new Map<string, SentinelEvent>();

  /** Feeds one event; returns the summary when this event ends a failover. */
  add(event: SentinelEvent): FailoverSummary | undefined {
    const aboutMaster = event.instance === undefined || event.instance.type === 'master';
    if (this.first.size === 0) {
      if (!(OPENERS.has(event.type) && aboutMaster) && event.type !== '+switch-master') return undefined;
    }
    if (
      (event.type === '-sdown' || event.type === '-odown') &&
      aboutMaster &&
      !this.first.has('+try-failover')
    ) {
      this.first.clear();
      return undefined;
    }
    if ((event.type === '+sdown' || event.type === '+odown') && !aboutMaster) return undefined;
    if (!this.first.has(event.type)) this.first.set(event.type, event);

    // A sentinel that lost the election aborts its own attempt while the leader carries on.
    if (event.type.startsWith('-failover-abort') && event.type !== '-failover-abort-not-elected') {
      return this.finish('aborted', event);
    }
    if (this.first.has('+failover-end') && this.first.has('+switch-master'))
      return this.finish('switched', event);
    return undefined;
  }

  private finish(outcome: FailoverSummary['outcome'], last: SentinelEvent): FailoverSummary {
    const events = [...this.first.values()];
    const start = Math.min(...events.map((e) => e.at.getTime()));
    const switched = this.first.get('+switch-master');
    const at = (type: string) => this.first.get(type)?.at.getTime();
    const phases: FailoverPhase[] = [];
    for (const [name, from, to] of PHASES) {
      const a = at(from);
      const b = at(to);
      if (a !== undefined && b !== undefined && b >= a) phases.push({ name, from, to, durationMs: b - a });
    }
    const summary: FailoverSummary = {
      masterName: last.masterName ?? switched?.masterName ?? '',
      outcome,
      startedAt: new Date(start),
      totalMs: last.at.getTime() - start,
      phases,
      ...(switched?.switch === undefined ? {} : { from: switched.switch.from, to: switched.switch.to }),
      ...(outcome === 'aborted' ? { abortedBy: last.type } : {}),
    };
    this.first = new Map();
    return summary;
  }
}
