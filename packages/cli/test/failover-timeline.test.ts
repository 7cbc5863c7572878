import { FailoverTimeline } from '@sentinel-kit/cli';
import { parseSentinelEvent } from '@sentinel-kit/core';
import { describe, expect, it } from 'vitest';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const sentinelA = { host: '10.0.0.1', port: 26379 };
const sentinelB = { host: '10.0.0.2', port: 26379 };
const at = (ms: number, type: string, message: string, sentinel = sentinelA) =>
  parseSentinelEvent(type, message, sentinel, new Date(T0 + ms));

const MASTER = 'master mymaster 10.0.1.1 6379';
const REPLICA = 'slave 10.0.1.2:6379 10.0.1.2 6379 @ mymaster 10.0.1.1 6379';

describe('FailoverTimeline', () => {
  it('summarises a kill -9 failover with each phase measured between first sightings', () => {
    const timeline = new FailoverTimeline();
    const feed = [
      at(0, '+sdown', MASTER),
      at(120, '+sdown', MASTER, sentinelB),
      at(150, '+odown', `${MASTER} #quorum 2/2`),
      at(160, '+new-epoch', '1'),
      at(170, '+try-failover', MASTER),
      at(230, '+elected-leader', MASTER),
      at(300, '+selected-slave', REPLICA),
      at(1300, '+promoted-slave', REPLICA),
      at(1310, '+failover-state-reconf-slaves', MASTER),
      at(1320, '+switch-master', 'mymaster 10.0.1.1 6379 10.0.1.2 6379', sentinelB),
    ];
    for (const event of feed) expect(timeline.add(event)).toBeUndefined();
    const summary = timeline.add(at(1400, '+failover-end', MASTER));
    expect(summary).toMatchObject({
      masterName: 'mymaster',
      outcome: 'switched',
      from: { host: '10.0.1.1', port: 6379 },
      to: { host: '10.0.1.2', port: 6379 },
      totalMs: 1400,
    });
    expect(summary?.phases.map((p) => [p.name, p.durationMs])).toEqual([
      ['down detection', 150],
      ['leader election', 60],
      ['replica selection', 70],
      ['promotion', 1000],
      ['switch announced', 20],
      ['replica reconfiguration', 90],
    ]);
  });

  it('ends when +switch-master arrives after +failover-end, and starts afresh for the next failover', () => {
    const timeline = new FailoverTimeline();
    timeline.add(at(0, '+try-failover', MASTER));
    expect(timeline.add(at(900, '+failover-end', MASTER))).toBeUndefined();
    expect(timeline.add(at(1000, '+switch-master', 'mymaster 10.0.1.1 6379 10.0.1.2 6379'))?.totalMs).toBe(
      1000,
    );
    expect(timeline.add(at(5000, '+switch-master', 'mymaster 10.0.1.2 6379 10.0.1.1 6379'))).toBeUndefined();
  });

  it('drops a master +sdown that clears before any failover, and ignores replicas going down', () => {
    const timeline = new FailoverTimeline();
    timeline.add(at(0, '+sdown', MASTER));
    timeline.add(at(500, '-sdown', MASTER));
    timeline.add(at(600, '+sdown', REPLICA));
    timeline.add(at(1000, '+try-failover', MASTER));
    timeline.add(at(1100, '+switch-master', 'mymaster 10.0.1.1 6379 10.0.1.2 6379'));
    const summary = timeline.add(at(1200, '+failover-end', MASTER));
    expect(summary?.startedAt.getTime()).toBe(T0 + 1000);
    expect(summary?.phases.map((p) => p.name)).not.toContain('down detection');
  });

  it('reports an abort for want of a replica, but not a sentinel that merely lost the election', () => {
    const timeline = new FailoverTimeline();
    timeline.add(at(0, '+try-failover', MASTER));
    expect(timeline.add(at(50, '-failover-abort-not-elected', MASTER, sentinelB))).toBeUndefined();
    const summary = timeline.add(at(80, '-failover-abort-no-good-slave', MASTER));
    expect(summary).toMatchObject({
      outcome: 'aborted',
      abortedBy: '-failover-abort-no-good-slave',
      totalMs: 80,
    });
    expect(summary?.to).toBeUndefined();
  });
});

describe('parseSentinelEvent', () => {
  it('reads instance details, the master they belong to, and the trailing detail', () => {
    const event = at(0, '+sdown', `${REPLICA} #quorum 1/2`);
    expect(event).toMatchObject({
      masterName: 'mymaster',
      instance: { type: 'slave', name: '10.0.1.2:6379', host: '10.0.1.2', port: 6379 },
      detail: '#quorum 1/2',
    });
  });

  it('leaves messages without instance details as they are', () => {
    const event = at(0, '+tilt', '#tilt mode entered');
    expect(event.instance).toBeUndefined();
    expect(event.masterName).toBeUndefined();
    expect(event.message).toBe('#tilt mode entered');
  });
});
