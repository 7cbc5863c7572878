import {
  CLUSTER_SLOTS,
  type ClusterNode,
  isMaster,
  type NodeAddress,
  type SlotRange,
} from '@sentinel-kit/core';

/** What changed between two `CLUSTER NODES` views. */
export type ClusterChangeType =
  | 'node-added'
  | 'node-removed'
  | 'fail?'
  | 'fail'
  | 'recovered'
  | 'promoted'
  | 'demoted'
  | 'follows'
  | 'slots-moved'
  | 'slots-lost'
  | 'slots-assigned'
  | 'link-down'
  | 'link-up';

/** One change, about one node (the one that gained slots, for a move). */
export interface ClusterChange {
  at: Date;
  type: ClusterChangeType;
  node: NodeAddress;
  id: string;
  /** The slots that moved, were lost or assigned. */
  slots?: SlotRange[];
  /** The node that held those slots before, or the master a replica followed before. */
  from?: NodeAddress;
  /** The master a replica follows now. */
  to?: NodeAddress;
}

/** A stretch of a failover, in milliseconds. */
export interface ClusterFailoverPhase {
  name: string;
  durationMs: number;
}

/** Slots that moved from one master to another, and how long that took from its first sign. */
export interface ClusterFailoverSummary {
  slots: SlotRange[];
  from: NodeAddress;
  to: NodeAddress;
  /** What the clock started from: the old master first flagged, `CLUSTER FAILOVER` sent, or the move itself. */
  startedBy: 'fail?' | 'fail' | 'request' | 'move';
  startedAt: Date;
  /** Milliseconds from `startedAt` to the view that showed the move. */
  totalMs: number;
  phases: ClusterFailoverPhase[];
}

const addressOf = (node: ClusterNode): NodeAddress => ({ host: node.host, port: node.port });
const health = (node: ClusterNode): 'ok' | 'fail?' | 'fail' =>
  node.flags.includes('fail') ? 'fail' : node.flags.includes('fail?') ? 'fail?' : 'ok';

/** The id of the master of every slot, undefined where none claims it. */
function owners(nodes: readonly ClusterNode[]): (string | undefined)[] {
  const owner: (string | undefined)[] = new Array(CLUSTER_SLOTS).fill(undefined);
  for (const node of nodes.filter(isMaster)) {
    for (const [first, last] of node.slots) owner.fill(node.id, first, last + 1);
  }
  return owner;
}

/** Runs of slots whose owner changed, each with the same (before, after) pair. */
function slotChanges(before: (string | undefined)[], after: (string | undefined)[]) {
  const runs: { from: string | undefined; to: string | undefined; slots: SlotRange[] }[] = [];
  let open: { from: string | undefined; to: string | undefined; first: number } | undefined;
  const close = (last: number) => {
    if (open === undefined) return;
    const run = runs.find((r) => r.from === open?.from && r.to === open?.to);
    const range: SlotRange = [open.first, last];
    if (run === undefined) runs.push({ from: open.from, to: open.to, slots: [range] });
    else run.slots.push(range);
    open = undefined;
  };
  for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
    const [from, to] = [before[slot], after[slot]];
    if (open !== undefined && (open.from !== from || open.to !== to)) close(slot - 1);
    if (from !== to && open === undefined) open = { from, to, first: slot };
  }
  close(CLUSTER_SLOTS - 1);
  return runs;
}

/**
 * Follows successive `CLUSTER NODES` views and says what changed: nodes flagged `fail?`/`fail` or
 * recovered, promotions and demotions, slots that moved between masters (which replica took which
 * slots), and bus links, these only while the same node answers (each node sees its own links).
 * A move of slots also yields a summary timed from `requestedAt` (when `CLUSTER FAILOVER` was
 * sent), else from the old master's first flag, else from the move itself.
 */
export class ClusterTimeline {
  private previous:
    | { from: NodeAddress; nodes: Map<string, ClusterNode>; owners: (string | undefined)[] }
    | undefined;
  /** When each node was first seen `fail?` and `fail` in its current failure. */
  private readonly flaggedAt = new Map<string, { 'fail?'?: Date; fail?: Date }>();

  constructor(private requestedAt?: Date) {}

  /** Feeds the view `from` gave at `at`; the first view only sets the baseline. */
  add(
    nodes: readonly ClusterNode[],
    from: NodeAddress,
    at: Date,
  ): { changes: ClusterChange[]; summaries: ClusterFailoverSummary[] } {
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const previous = this.previous;
    const now = { from, nodes: byId, owners: owners(nodes) };
    this.previous = now;
    for (const node of nodes) this.noteFlags(node, at);
    if (previous === undefined) return { changes: [], summaries: [] };

    const sameViewer = previous.from.host === from.host && previous.from.port === from.port;
    const changes: ClusterChange[] = [];
    for (const node of nodes) {
      const before = previous.nodes.get(node.id);
      changes.push(...this.nodeChanges(before, node, byId, previous.nodes, sameViewer, at));
    }
    for (const [id, node] of previous.nodes) {
      if (!byId.has(id)) changes.push({ at, type: 'node-removed', node: addressOf(node), id });
    }
    const summaries: ClusterFailoverSummary[] = [];
    for (const run of slotChanges(previous.owners, now.owners)) {
      const to = run.to === undefined ? undefined : byId.get(run.to);
      const fromNode =
        run.from === undefined ? undefined : (previous.nodes.get(run.from) ?? byId.get(run.from));
      if (to !== undefined && fromNode !== undefined) {
        const change = { at, type: 'slots-moved' as const, node: addressOf(to), id: to.id, slots: run.slots };
        changes.push({ ...change, from: addressOf(fromNode) });
        summaries.push(this.summary(run.slots, fromNode, to, at));
      } else if (to !== undefined) {
        changes.push({ at, type: 'slots-assigned', node: addressOf(to), id: to.id, slots: run.slots });
      } else if (fromNode !== undefined) {
        changes.push({
          at,
          type: 'slots-lost',
          node: addressOf(fromNode),
          id: fromNode.id,
          slots: run.slots,
        });
      }
    }
    return { changes, summaries };
  }

  private noteFlags(node: ClusterNode, at: Date): void {
    const state = health(node);
    if (state === 'ok') {
      this.flaggedAt.delete(node.id);
      return;
    }
    const seen = this.flaggedAt.get(node.id) ?? {};
    seen[state] ??= at;
    this.flaggedAt.set(node.id, seen);
  }

  private nodeChanges(
    before: ClusterNode | undefined,
    node: ClusterNode,
    now: Map<string, ClusterNode>,
    then: Map<string, ClusterNode>,
    sameViewer: boolean,
    at: Date,
  ): ClusterChange[] {
    const base = { at, node: addressOf(node), id: node.id };
    if (before === undefined) return [{ ...base, type: 'node-added' }];
    const changes: ClusterChange[] = [];
    const [was, is] = [health(before), health(node)];
    if (was !== is) changes.push({ ...base, type: is === 'ok' ? 'recovered' : is });
    if (!isMaster(before) && isMaster(node)) changes.push({ ...base, type: 'promoted' });
    const master = node.masterId === undefined ? undefined : now.get(node.masterId);
    const previousMaster = before.masterId === undefined ? undefined : then.get(before.masterId);
    const follows = master === undefined ? {} : { to: addressOf(master) };
    if (isMaster(before) && !isMaster(node)) changes.push({ ...base, type: 'demoted', ...follows });
    else if (!isMaster(node) && node.masterId !== before.masterId && previousMaster !== undefined) {
      changes.push({ ...base, type: 'follows', from: addressOf(previousMaster), ...follows });
    }
    if (sameViewer && before.linkState !== node.linkState) {
      changes.push({ ...base, type: node.linkState === 'connected' ? 'link-up' : 'link-down' });
    }
    return changes;
  }

  private summary(slots: SlotRange[], from: ClusterNode, to: ClusterNode, at: Date): ClusterFailoverSummary {
    const flagged = this.flaggedAt.get(from.id) ?? {};
    const suspected = flagged['fail?'];
    const failed = flagged.fail;
    const [startedBy, startedAt] =
      this.requestedAt !== undefined
        ? (['request', this.requestedAt] as const)
        : suspected !== undefined
          ? (['fail?', suspected] as const)
          : failed !== undefined
            ? (['fail', failed] as const)
            : (['move', at] as const);
    const phases: ClusterFailoverPhase[] = [];
    const span = (name: string, a: Date | undefined, b: Date) => {
      if (a !== undefined && b >= a) phases.push({ name, durationMs: b.getTime() - a.getTime() });
    };
    if (startedBy === 'request') span('promotion', startedAt, at);
    else {
      if (suspected !== undefined && failed !== undefined) span('failure agreed', suspected, failed);
      span('promotion', failed, at);
    }
    this.requestedAt = undefined;
    return {
      slots,
      from: addressOf(from),
      to: addressOf(to),
      startedBy,
      startedAt,
      totalMs: at.getTime() - startedAt.getTime(),
      phases,
    };
  }
}
