import {
  ClusterFailoverRefusedError,
  type ClusterShard,
  type ClusterView,
  clusterLayout,
  formatSlots,
  isFailing,
  type NodeAddress,
  probeRole,
} from '@sentinel-kit/core';
import { CLUSTER_FAILOVER_WAIT_MS, type CliArgs } from './args.js';
import type { ClusterTarget } from './cluster-target.js';
import { renderClusterSummary } from './cluster-text.js';
import { type ClusterFailoverSummary, ClusterTimeline } from './cluster-timeline.js';
import { writeChanges } from './cluster-watch.js';
import { address } from './format.js';
import type { CliIO } from './io.js';
import { colorEnabled, createStyle, type Style } from './style.js';
import { UsageError } from './usage-error.js';
import { pause } from './wait.js';

/** Milliseconds between two `CLUSTER NODES` polls while waiting for the promotion. */
const POLL_MS = 50;

/**
 * `--master`: an index into the masters with slots, by first slot (as `status` lists them), or a
 * `host:port`. The message lists the choices, so a wrong one is fixed in one go.
 */
function chooseShard(view: ClusterView, wanted: string | undefined): ClusterShard {
  const shards = clusterLayout(view.nodes).shards.filter((s) => s.slotCount > 0);
  const choices = shards.map((s, i) => `${i} = ${address(s.master)} (${formatSlots(s.slots)})`).join(', ');
  const shard =
    wanted === undefined
      ? undefined
      : /^\d+$/.test(wanted)
        ? shards[Number(wanted)]
        : shards.find((s) => address(s.master) === wanted);
  if (shard === undefined) {
    const problem = wanted === undefined ? 'needs --master' : `has no master "${wanted}"`;
    throw new UsageError(`"failover" on a cluster ${problem}: one of ${choices}`);
  }
  return shard;
}

/**
 * `sentinel-kit failover <cluster location> --master <host:port|index>`: `CLUSTER FAILOVER` on a
 * replica of that master (`FORCE` when the master is flagged failing and cannot hand over), then
 * polls `CLUSTER NODES` until the replica serves the master's slots (up to `--wait`, default
 * 10 s), printing each change on the way, and checks with ROLE that it says it is master. Exit 0
 * on a verified promotion, 1 otherwise.
 */
export async function clusterFailover(args: CliArgs, io: CliIO, target: ClusterTarget): Promise<number> {
  const { admin } = target;
  const style = createStyle(colorEnabled(io.stdout, args.color, io.env));
  try {
    const view = await admin.view();
    const shard = chooseShard(view, args.master);
    const from: NodeAddress = { host: shard.master.host, port: shard.master.port };
    const replica = shard.replicas.find((r) => !isFailing(r));
    if (replica === undefined) throw new ClusterFailoverRefusedError(from, undefined);
    const to: NodeAddress = { host: replica.host, port: replica.port };
    const started = new Date();
    const timeline = new ClusterTimeline(started);
    timeline.add(view.nodes, view.from, started);
    await admin.failover(to, from, isFailing(shard.master) ? 'force' : 'graceful');
    const slots = formatSlots(shard.slots);
    if (!args.json) {
      io.stdout.write(
        `failover of master ${address(from)} (slots ${slots}) started: CLUSTER FAILOVER sent to ${address(to)}\n`,
      );
    }
    const waitMs = args.waitMs ?? CLUSTER_FAILOVER_WAIT_MS;
    const summary = await followPromotion(args, io, style, target, timeline, to, started.getTime() + waitMs);
    if (summary === undefined) {
      const line = `${address(to)} did not take slots ${slots} within ${waitMs} ms; "sentinel-kit watch" shows what the cluster does`;
      io.stdout.write(
        args.json ? `${JSON.stringify({ switched: false, from, message: line })}\n` : `${style.bad(line)}\n`,
      );
      return 1;
    }
    const role = await probeRole(to, target.dataNode).then(
      (r) => r.role,
      (err: Error) => `unknown (${err.message})`,
    );
    const verified = role === 'master';
    if (args.json) {
      const result = {
        switched: true,
        from,
        to,
        slots: shard.slots,
        switchedAfterMs: summary.totalMs,
        role,
        verified,
      };
      io.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const check = verified ? style.ok('role verified: master') : style.bad(`role: ${role}`);
      io.stdout.write(
        `${style.ok(`new master ${address(to)} for slots ${slots}`)} after ${summary.totalMs} ms  ${check}\n`,
      );
    }
    return verified ? 0 : 1;
  } finally {
    await admin.close();
  }
}

/** Polls until a view shows `replica` taking slots; prints every change on the way. */
async function followPromotion(
  args: CliArgs,
  io: CliIO,
  style: Style,
  target: ClusterTarget,
  timeline: ClusterTimeline,
  replica: NodeAddress,
  deadline: number,
): Promise<ClusterFailoverSummary | undefined> {
  while (Date.now() < deadline && !io.signal?.aborted) {
    await pause(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), io.signal);
    const view = await target.admin.view();
    const { changes, summaries } = timeline.add(view.nodes, view.from, new Date());
    writeChanges(io.stdout, changes, args.json === true, style);
    const done = summaries.find((s) => s.to.host === replica.host && s.to.port === replica.port);
    if (done !== undefined) {
      io.stdout.write(
        args.json ? `${JSON.stringify({ summary: done })}\n` : renderClusterSummary(done, style),
      );
      return done;
    }
  }
  return undefined;
}
