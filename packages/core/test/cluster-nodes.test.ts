import { describe, expect, it } from 'vitest';
import { clusterLayout, uncoveredSlots } from '../src/cluster/cluster-layout.js';
import { formatSlots, isFailing, parseClusterNodes, slotCount } from '../src/cluster/cluster-nodes.js';
import * as captured from './cluster-nodes-captured.js';

const byPort = (text: string, port: number) => {
  const node = parseClusterNodes(text).find((n) => n.port === port);
  if (node === undefined) throw new Error(`no node on port ${port}`);
  return node;
};

describe('parseClusterNodes on replies captured from redis-server', () => {
  it('reads every field of a master and of a replica', () => {
    const nodes = parseClusterNodes(captured.healthy);
    expect(nodes).toHaveLength(6);
    expect(byPort(captured.healthy, 36871)).toEqual({
      id: '9055f340d4e55e61e33c935e89ea8c52ffad1f43',
      host: '127.0.0.1',
      port: 36871,
      busPort: 44657,
      hostname: undefined,
      flags: ['myself', 'master'],
      masterId: undefined,
      linkState: 'connected',
      configEpoch: 1,
      slots: [[0, 5460]],
      migrating: [],
      importing: [],
    });
    expect(byPort(captured.healthy, 43763)).toMatchObject({
      flags: ['slave'],
      masterId: '9055f340d4e55e61e33c935e89ea8c52ffad1f43',
      slots: [],
    });
  });

  it('sees a killed master as fail? then fail, disconnected, still holding its slots until the promotion', () => {
    const suspected = byPort(captured.pfail, 36871);
    expect(suspected).toMatchObject({ flags: ['master', 'fail?'], linkState: 'disconnected' });
    expect(suspected.slots).toEqual([[0, 5460]]);
    expect(isFailing(suspected)).toBe(true);
    expect(byPort(captured.failed, 36871).flags).toEqual(['master', 'fail']);

    const old = byPort(captured.afterFailover, 36871);
    expect(old).toMatchObject({ flags: ['master', 'fail'], slots: [] });
    const promoted = byPort(captured.afterFailover, 43763);
    expect(promoted).toMatchObject({ flags: ['master'], masterId: undefined, configEpoch: 5 });
    expect(promoted.slots).toEqual([[0, 5460]]);
    expect(isFailing(promoted)).toBe(false);
  });

  it('keeps migrating and importing markers apart from the slots served', () => {
    const source = byPort(captured.migratingView, 34775);
    expect(source.slots).toEqual([[5461, 10921]]);
    expect(source.migrating).toEqual([{ slot: 5461, to: '0902ed78f8b7eda07a79b02e2546688c2803ad56' }]);
    const target = byPort(captured.importingView, 34473);
    expect(target.slots).toEqual([[10922, 16383]]);
    expect(target.importing).toEqual([{ slot: 5461, from: 'a33463902ab67fe5fc9f454062f9ee642f9bc425' }]);
  });

  it('reads single slots, an announced hostname and a failed replica', () => {
    const text = captured.failedReplicaUncoveredHostname;
    expect(byPort(text, 39655).slots).toEqual([
      [0, 0],
      [2, 5459],
    ]);
    expect(byPort(text, 42741)).toMatchObject({ hostname: 'node-2.example', busPort: 40707 });
    expect(byPort(text, 41357)).toMatchObject({ flags: ['slave', 'fail'], linkState: 'disconnected' });
  });

  it('skips blank and short lines', () => {
    expect(parseClusterNodes('\n\nnot a node line\n')).toEqual([]);
  });
});

describe('clusterLayout', () => {
  it('groups replicas under their masters, by first slot, and finds no gap in a full cluster', () => {
    const layout = clusterLayout(parseClusterNodes(captured.replicaView));
    expect(layout.shards.map((s) => [s.master.port, formatSlots(s.slots), s.slotCount])).toEqual([
      [36871, '0-5460', 5461],
      [34775, '5461-10921', 5461],
      [34473, '10922-16383', 5462],
    ]);
    expect(layout.shards.map((s) => s.replicas.map((r) => r.port))).toEqual([[43763], [45885], [38557]]);
    expect(layout.uncovered).toEqual([]);
    expect(layout.orphans).toEqual([]);
  });

  it('puts a failed master without slots last, with no replica left', () => {
    const layout = clusterLayout(parseClusterNodes(captured.afterFailover));
    expect(layout.shards.map((s) => s.master.port)).toEqual([43763, 34775, 34473, 36871]);
    expect(layout.shards[3]).toMatchObject({ slots: [], slotCount: 0, replicas: [] });
    expect(layout.shards[0]?.replicas).toEqual([]);
  });

  it('lists the slots nobody serves', () => {
    const layout = clusterLayout(parseClusterNodes(captured.failedReplicaUncoveredHostname));
    expect(layout.uncovered).toEqual([
      [1, 1],
      [5460, 5460],
    ]);
    expect(formatSlots(layout.uncovered)).toBe('1,5460');
    expect(slotCount(layout.uncovered)).toBe(2);
  });

  it('uncoveredSlots handles overlaps, the edges and an empty cluster', () => {
    expect(uncoveredSlots([])).toEqual([[0, 16383]]);
    expect(
      uncoveredSlots([
        [100, 200],
        [0, 99],
        [150, 16382],
      ]),
    ).toEqual([[16383, 16383]]);
    expect(uncoveredSlots([[1, 16383]])).toEqual([[0, 0]]);
  });
});
