import {
  CLUSTER_SLOTS,
  type ClusterNode,
  clusterLayout,
  formatSlots,
  isFailing,
  type NodeAddress,
  probeRole,
  type SlotRange,
  slotCount,
} from '@sentinel-kit/core';
import type { ClusterTarget } from './cluster-target.js';
import { address } from './format.js';

/** One node as `CLUSTER NODES` shows it, `myself` left out (it only says which node answered). */
export interface ClusterNodeReport extends NodeAddress {
  id: string;
  flags: string[];
  /** The cluster-bus link from the node that answered. */
  busLink: 'connected' | 'disconnected';
  /** Flagged `fail?` (suspected by the node that answered) or `fail` (agreed by the cluster). */
  failing: boolean;
}

export interface ClusterReplicaReport extends ClusterNodeReport {
  /** The replication link as the replica's ROLE says (`connected`, `connect`, `sync`, …); null when unknown. */
  replicationLink: string | null;
  /** Why ROLE could not be asked. */
  roleError?: string;
  /** Not failing, and its replication link is up. */
  online: boolean;
}

export interface ClusterMasterReport extends ClusterNodeReport {
  /** Its slot ranges, `[first, last]`, sorted. */
  slots: SlotRange[];
  slotCount: number;
  replicas: ClusterReplicaReport[];
}

/** Everything cluster `status` shows and `check` judges, also the `--json` shape of `status`. */
export interface ClusterReport {
  kind: 'cluster';
  /** The node whose `CLUSTER NODES` this is. */
  viewFrom: NodeAddress;
  /** Masters by first slot; masters without slots last. */
  masters: ClusterMasterReport[];
  /** Slot ranges no master claims. */
  uncovered: SlotRange[];
  coveredSlots: number;
}

const nodeReport = (node: ClusterNode): ClusterNodeReport => ({
  host: node.host,
  port: node.port,
  id: node.id,
  flags: node.flags.filter((f) => f !== 'myself'),
  busLink: node.linkState,
  failing: isFailing(node),
});

/** Asks one node for `CLUSTER NODES`, and every replica for its replication link (ROLE), at once. */
export async function collectClusterReport(target: ClusterTarget): Promise<ClusterReport> {
  const view = await target.admin.view();
  const layout = clusterLayout(view.nodes);
  const masters = await Promise.all(
    layout.shards.map(async (shard) => ({
      ...nodeReport(shard.master),
      slots: shard.slots,
      slotCount: shard.slotCount,
      replicas: await Promise.all(shard.replicas.map((r) => replicaReport(r, target))),
    })),
  );
  return {
    kind: 'cluster',
    viewFrom: view.from,
    masters,
    uncovered: layout.uncovered,
    coveredSlots: CLUSTER_SLOTS - slotCount(layout.uncovered),
  };
}

async function replicaReport(node: ClusterNode, target: ClusterTarget): Promise<ClusterReplicaReport> {
  const base = nodeReport(node);
  try {
    const role = await probeRole(node, target.dataNode);
    const replicationLink = role.master?.linkState ?? `role ${role.role}`;
    return { ...base, replicationLink, online: !base.failing && replicationLink === 'connected' };
  } catch (err) {
    return { ...base, replicationLink: null, roleError: (err as Error).message, online: false };
  }
}

const flagged = (node: ClusterNodeReport) => node.flags.find((f) => f === 'fail' || f === 'fail?');

/** One line per reason the cluster is not healthy; empty when it is. */
export function findClusterProblems(report: ClusterReport): string[] {
  const problems: string[] = [];
  if (report.uncovered.length > 0) {
    const missing = CLUSTER_SLOTS - report.coveredSlots;
    problems.push(`slots not covered: ${formatSlots(report.uncovered)} (${missing} of ${CLUSTER_SLOTS})`);
  }
  for (const master of report.masters) {
    const slots = master.slotCount === 0 ? 'no slots' : `slots ${formatSlots(master.slots)}`;
    const name = `master ${address(master)} (${slots})`;
    if (master.failing) problems.push(`${name} is flagged ${flagged(master)}`);
    for (const replica of master.replicas.filter((r) => r.failing)) {
      problems.push(`replica ${address(replica)} of ${address(master)} is flagged ${flagged(replica)}`);
    }
    const online = master.replicas.filter((r) => r.online).length;
    if (master.slotCount > 0 && online === 0) {
      problems.push(`${name} has no replica online (${master.replicas.length} known)`);
    }
  }
  return problems;
}
