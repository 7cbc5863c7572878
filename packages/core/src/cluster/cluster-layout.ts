import { SLOTS } from '../shared/key-slot.js';
import { type ClusterNode, isMaster, type SlotRange, slotCount } from './cluster-nodes.js';

/** One master with the replicas that follow it. */
export interface ClusterShard {
  master: ClusterNode;
  replicas: ClusterNode[];
  /** The master's slots, sorted. */
  slots: SlotRange[];
  slotCount: number;
}

/** A `CLUSTER NODES` view arranged as an operator reads it. */
export interface ClusterLayout {
  /** Every master, by first slot; masters without slots (a failed master after its failover) last. */
  shards: ClusterShard[];
  /** Slots no master claims, sorted and merged. */
  uncovered: SlotRange[];
  /** Replicas whose master is not in the view. */
  orphans: ClusterNode[];
}

const bySlot = (a: SlotRange, b: SlotRange) => a[0] - b[0];

/** The slot ranges of 0…16383 that none of `ranges` covers. */
export function uncoveredSlots(ranges: readonly SlotRange[]): SlotRange[] {
  const gaps: SlotRange[] = [];
  let next = 0;
  for (const [first, last] of [...ranges].sort(bySlot)) {
    if (first > next) gaps.push([next, first - 1]);
    next = Math.max(next, last + 1);
  }
  if (next < SLOTS) gaps.push([next, SLOTS - 1]);
  return gaps;
}

/** Groups a view into masters with their replicas, and finds the slots nobody serves. */
export function clusterLayout(nodes: readonly ClusterNode[]): ClusterLayout {
  const masters = nodes.filter(isMaster);
  const ids = new Set(masters.map((m) => m.id));
  const shards = masters
    .map((master) => {
      const slots = [...master.slots].sort(bySlot);
      const replicas = nodes.filter((n) => !isMaster(n) && n.masterId === master.id);
      return { master, replicas, slots, slotCount: slotCount(slots) };
    })
    .sort((a, b) => (a.slots[0]?.[0] ?? SLOTS) - (b.slots[0]?.[0] ?? SLOTS));
  return {
    shards,
    uncovered: uncoveredSlots(masters.flatMap((m) => m.slots)),
    orphans: nodes.filter((n) => !isMaster(n) && (n.masterId === undefined || !ids.has(n.masterId))),
  };
}
