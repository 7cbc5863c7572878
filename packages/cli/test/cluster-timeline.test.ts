import { ClusterTimeline } from '@sentinel-kit/cli';
import { parseClusterNodes } from '@sentinel-kit/core';
import { describe, expect, it } from 'vitest';
import * as captured from '../../core/test/cluster-nodes-captured.js';

/** The views were captured from master 0 (healthy) and then master 1 (36871 killed, 43763 its replica). */
const OBSERVER = { host: '127.0.0.1', port: 34775 };
const KILLED = { host: '127.0.0.1', port: 36871 };
const REPLICA = { host: '127.0.0.1', port: 43763 };
const at = (ms: number) => new Date(Date.UTC(2026, 11, 2, 18, 0, 0, ms));

describe('ClusterTimeline on CLUSTER NODES views captured around a kill -9', () => {
  it('says fail?, fail, promoted and which slots the replica took, and times the failover from the first flag', () => {
    const timeline = new ClusterTimeline();
    expect(timeline.add(parseClusterNodes(captured.healthy), KILLED, at(0))).toEqual({
      changes: [],
      summaries: [],
    });
    const suspected = timeline.add(parseClusterNodes(captured.pfail), OBSERVER, at(1000));
    expect(suspected.changes.map((c) => [c.type, c.node.port])).toEqual([['fail?', KILLED.port]]);

    const failed = timeline.add(parseClusterNodes(captured.failed), OBSERVER, at(1400));
    expect(failed.changes.map((c) => [c.type, c.node.port])).toEqual([['fail', KILLED.port]]);

    const promoted = timeline.add(parseClusterNodes(captured.afterFailover), OBSERVER, at(2150));
    expect(promoted.changes).toEqual([
      { at: at(2150), type: 'promoted', node: REPLICA, id: expect.any(String) },
      {
        at: at(2150),
        type: 'slots-moved',
        node: REPLICA,
        id: expect.any(String),
        slots: [[0, 5460]],
        from: KILLED,
      },
    ]);
    expect(promoted.summaries).toEqual([
      {
        slots: [[0, 5460]],
        from: KILLED,
        to: REPLICA,
        startedBy: 'fail?',
        startedAt: at(1000),
        totalMs: 1150,
        phases: [
          { name: 'failure agreed', durationMs: 400 },
          { name: 'promotion', durationMs: 750 },
        ],
      },
    ]);
  });

  it('times a failover whose flags came with the move at 0 ms, and reports nothing for an unchanged view', () => {
    const timeline = new ClusterTimeline();
    timeline.add(parseClusterNodes(captured.healthy), KILLED, at(100));
    expect(timeline.add(parseClusterNodes(captured.healthy), KILLED, at(150)).changes).toEqual([]);
    const moved = timeline.add(parseClusterNodes(captured.afterFailover), OBSERVER, at(420));
    expect(moved.changes.map((c) => c.type)).toEqual(['promoted', 'fail', 'slots-moved']);
    expect(moved.summaries[0]).toMatchObject({ startedBy: 'fail', totalMs: 0 });
  });

  it('times a requested failover from the request, and reports a node that left the view', () => {
    const timeline = new ClusterTimeline(at(100));
    const moved = parseClusterNodes(captured.afterFailover).filter((n) => n.port !== KILLED.port);
    timeline.add(parseClusterNodes(captured.healthy), KILLED, at(100));
    const seen = timeline.add(moved, OBSERVER, at(480));
    expect(seen.changes.map((c) => c.type)).toEqual(['promoted', 'node-removed', 'slots-moved']);
    expect(seen.summaries[0]).toMatchObject({
      startedBy: 'request',
      totalMs: 380,
      phases: [{ name: 'promotion', durationMs: 380 }],
    });
  });

  it('reports link changes only while the same node answers (each node sees its own links)', () => {
    const same = new ClusterTimeline();
    same.add(parseClusterNodes(captured.healthy), OBSERVER, at(0));
    expect(same.add(parseClusterNodes(captured.pfail), OBSERVER, at(5)).changes.map((c) => c.type)).toEqual([
      'fail?',
      'link-down',
    ]);
    const other = new ClusterTimeline();
    other.add(parseClusterNodes(captured.healthy), KILLED, at(0));
    expect(other.add(parseClusterNodes(captured.pfail), OBSERVER, at(5)).changes.map((c) => c.type)).toEqual([
      'fail?',
    ]);
  });

  it('reports slots that nobody serves any more, and slots assigned again', () => {
    const timeline = new ClusterTimeline();
    const healthy = parseClusterNodes(captured.healthy);
    timeline.add(healthy, KILLED, at(0));
    const gap = parseClusterNodes(captured.healthy.replace(' 0-5460', ' 0 2-5460'));
    expect(timeline.add(gap, KILLED, at(10))).toEqual({
      changes: [{ at: at(10), type: 'slots-lost', node: KILLED, id: expect.any(String), slots: [[1, 1]] }],
      summaries: [],
    });
    expect(timeline.add(healthy, KILLED, at(20)).changes).toMatchObject([
      { type: 'slots-assigned', node: KILLED, slots: [[1, 1]] },
    ]);
  });
});
