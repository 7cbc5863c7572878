import { formatSlots, slotCount } from '@sentinel-kit/core';
import type { ClusterChange, ClusterChangeType, ClusterFailoverSummary } from './cluster-timeline.js';
import { address, clock } from './format.js';
import type { Style } from './style.js';

/** What each change means, in an operator's words. */
const MEANING: Record<ClusterChangeType, string> = {
  'node-added': 'node joined the view',
  'node-removed': 'node left the view (forgotten)',
  'fail?': 'suspected down by the node asked (PFAIL)',
  fail: 'down by agreement of the masters (FAIL)',
  recovered: 'no longer flagged failing',
  promoted: 'replica promoted to master',
  demoted: 'master became a replica',
  follows: 'replica follows another master',
  'slots-moved': 'took over slots',
  'slots-lost': 'slots no longer served by anyone',
  'slots-assigned': 'slots assigned',
  'link-down': 'cluster-bus link down',
  'link-up': 'cluster-bus link up',
};

/** Wide enough for the longest change name, `slots-assigned`. */
const NAME_WIDTH = 14;

const BAD = new Set<ClusterChangeType>(['fail?', 'fail', 'slots-lost', 'link-down', 'node-removed']);
const GOOD = new Set<ClusterChangeType>(['promoted', 'slots-moved', 'recovered']);

const slotText = (change: ClusterChange) =>
  change.slots === undefined
    ? ''
    : ` ${formatSlots(change.slots)} (${slotCount(change.slots)} slots)${change.from === undefined ? '' : ` from ${address(change.from)}`}`;

/** One timeline line: time, change, node, what it means and its details. */
export function formatChange(change: ClusterChange, style: Style): string {
  const padded = change.type.padEnd(NAME_WIDTH);
  const name = BAD.has(change.type) ? style.bad(padded) : GOOD.has(change.type) ? style.ok(padded) : padded;
  const moved =
    change.type === 'follows' || change.type === 'demoted'
      ? `${change.to === undefined ? '' : ` now of ${address(change.to)}`}`
      : slotText(change);
  return `${style.dim(clock(change.at))}  ${name} ${address(change.node)}${moved}${style.dim(`  ${MEANING[change.type]}`)}`;
}

const STARTS: Record<ClusterFailoverSummary['startedBy'], string> = {
  'fail?': 'since the old master was first suspected down',
  fail: 'since the old master was first flagged fail',
  request: 'since CLUSTER FAILOVER was sent',
  move: 'no failure seen before: a manual failover, or one begun before watching',
};

/** Milliseconds, always as milliseconds: failover times are compared across runs. */
const ms = (n: number) => `${Math.round(n)} ms`;

/** A failover's summary: which slots moved where, and how long each stretch took. */
export function renderClusterSummary(summary: ClusterFailoverSummary, style: Style): string {
  const move = `${address(summary.from)} → ${address(summary.to)}`;
  const took = summary.startedBy === 'move' ? '' : ` in ${ms(summary.totalMs)}`;
  const head = style.ok(`failover of slots ${formatSlots(summary.slots)} done: ${move}${took}`);
  const phases = summary.phases.map((p) => `    ${p.name.padEnd(24)} ${ms(p.durationMs).padStart(9)}`);
  return `${[`── ${head} ${style.dim(`(${STARTS[summary.startedBy]}, ${clock(summary.startedAt)})`)}`, ...phases].join('\n')}\n`;
}
