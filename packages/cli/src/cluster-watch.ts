import { AuthenticationError, TlsError } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';
import type { ClusterTarget } from './cluster-target.js';
import { formatChange, renderClusterSummary } from './cluster-text.js';
import { type ClusterChange, ClusterTimeline } from './cluster-timeline.js';
import type { CliIO } from './io.js';
import { colorEnabled, createStyle, type Style } from './style.js';
import { pause } from './wait.js';

/**
 * `sentinel-kit watch <cluster location>`: polls `CLUSTER NODES` every `--interval` ms and prints
 * each change (flags, promotions, slots moved), timestamped, with a summary per failover (which
 * replica took which slots, in ms). A cluster has no event feed to subscribe to, so the times are
 * those of the first poll that saw each change. Runs until `io.signal` aborts, or with `--once`
 * until the first failover's summary.
 */
export async function clusterWatch(args: CliArgs, io: CliIO, target: ClusterTarget): Promise<number> {
  const style = createStyle(colorEnabled(io.stdout, args.color, io.env));
  const timeline = new ClusterTimeline();
  let lastError: string | undefined;
  try {
    const first = await target.admin.view();
    timeline.add(first.nodes, first.from, new Date());
    // On stderr even with --json: stdout stays pure JSON lines, and a script can wait for this line.
    io.stderr.write(
      style.dim(
        `watching the cluster (${first.nodes.length} nodes) every ${args.intervalMs} ms` +
          `${args.once ? ' until a failover ends' : '; Ctrl-C to stop'}\n`,
      ),
    );
    while (!io.signal?.aborted) {
      await pause(args.intervalMs, io.signal);
      if (io.signal?.aborted) break;
      let view: Awaited<ReturnType<typeof target.admin.view>>;
      try {
        view = await target.admin.view();
      } catch (err) {
        if (err instanceof AuthenticationError || err instanceof TlsError) throw err;
        // The same failure on every poll is reported once, not ten times a second.
        const message = (err as Error).message;
        if (message !== lastError) io.stderr.write(`${style.warn(`${message} (retrying)`)}\n`);
        lastError = message;
        continue;
      }
      lastError = undefined;
      const { changes, summaries } = timeline.add(view.nodes, view.from, new Date());
      writeChanges(io.stdout, changes, args.json === true, style);
      for (const summary of summaries) {
        io.stdout.write(
          args.json ? `${JSON.stringify({ summary })}\n` : renderClusterSummary(summary, style),
        );
      }
      if (args.once && summaries.length > 0) break;
    }
    return 0;
  } finally {
    await target.admin.close();
  }
}

export const changeJson = (change: ClusterChange) => ({ ...change, at: change.at.toISOString() });

/** Writes each layout change as a line: JSON with `json`, else the styled text `watch` and `failover` share. */
export function writeChanges(
  out: { write(text: string): unknown },
  changes: ClusterChange[],
  json: boolean,
  style: Style,
): void {
  for (const change of changes) {
    out.write(
      json ? `${JSON.stringify({ change: changeJson(change) })}\n` : `${formatChange(change, style)}\n`,
    );
  }
}
