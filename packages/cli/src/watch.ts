import { type NodeAddress, parseLocation, type SentinelEvent } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';
import { openClusterTarget } from './cluster-target.js';
import { clusterWatch } from './cluster-watch.js';
import { formatEvent } from './event-text.js';
import { type FailoverSummary, FailoverTimeline } from './failover-timeline.js';
import { address, clock, duration } from './format.js';
import type { CliIO } from './io.js';
import { colorEnabled, createStyle, type Style } from './style.js';
import { openTarget } from './target.js';
import { aborted } from './wait.js';

/**
 * The same event from several sentinels within this many milliseconds is printed once. Sentinels
 * see a node go down within about one ping period of each other, and the non-leaders announce
 * `+switch-master` about a second before the leader.
 */
export const DEDUP_WINDOW_MS = 3000;

/**
 * `sentinel-kit watch <location>`: every sentinel's events about the master, de-duplicated and
 * timestamped, with a phase-by-phase summary at the end of each failover. Runs until `io.signal`
 * aborts (Ctrl-C), or with `--once` until the first failover's summary.
 */
export async function watch(args: CliArgs, io: CliIO): Promise<number> {
  const location = parseLocation(args.location);
  if (location.kind === 'cluster') return clusterWatch(args, io, openClusterTarget(args, location));
  const target = openTarget(args, location);
  const style = createStyle(colorEnabled(io.stdout, args.color, io.env));
  const timeline = new FailoverTimeline();
  const lastSeen = new Map<string, number>();
  const lastError = new Map<string, string>();
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const onEvent = (event: SentinelEvent) => {
    const key = `${event.type} ${event.message}`;
    const now = event.at.getTime();
    const previous = lastSeen.get(key);
    lastSeen.set(key, now);
    if (previous !== undefined && now - previous < DEDUP_WINDOW_MS) return;
    for (const [k, at] of lastSeen) if (now - at >= DEDUP_WINDOW_MS) lastSeen.delete(k);

    io.stdout.write(
      args.json ? `${JSON.stringify({ event: eventJson(event) })}\n` : `${formatEvent(event, style)}\n`,
    );
    const summary = timeline.add(event);
    if (summary === undefined) return;
    io.stdout.write(args.json ? `${JSON.stringify({ summary })}\n` : renderSummary(summary, style));
    if (args.once) finish();
  };
  // A sentinel that keeps failing the same way is reported once, not on every reconnect attempt.
  const onSentinelError = (error: Error, sentinel: NodeAddress) => {
    const where = address(sentinel);
    if (lastError.get(where) === error.message) return;
    lastError.set(where, error.message);
    io.stderr.write(`${style.warn(`sentinel ${where}: ${error.message} (retrying)`)}\n`);
  };

  target.admin.on('sentinelError', onSentinelError);
  try {
    const subscription = await target.admin.subscribe(onEvent);
    // On stderr even with --json: stdout stays pure JSON lines, and a script can wait for this line.
    io.stderr.write(
      style.dim(
        `watching "${target.masterName}" on ${subscription.subscribed.length}/${target.sentinels.length} sentinels` +
          `${args.once ? ' until a failover ends' : '; Ctrl-C to stop'}\n`,
      ),
    );
    await Promise.race([finished, aborted(io.signal)]);
    return 0;
  } finally {
    target.admin.off('sentinelError', onSentinelError);
    await target.admin.close();
  }
}

const eventJson = (event: SentinelEvent) => ({ ...event, at: event.at.toISOString() });

export function renderSummary(summary: FailoverSummary, style: Style): string {
  const move =
    summary.from !== undefined && summary.to !== undefined
      ? `${address(summary.from)} → ${address(summary.to)}`
      : 'no switch';
  const head =
    summary.outcome === 'switched'
      ? style.ok(`failover of "${summary.masterName}" done: ${move} in ${duration(summary.totalMs)}`)
      : style.bad(
          `failover of "${summary.masterName}" aborted (${summary.abortedBy}) after ${duration(summary.totalMs)}`,
        );
  const phases = summary.phases.map(
    (p) =>
      `    ${p.name.padEnd(24)} ${duration(p.durationMs).padStart(9)}  ${style.dim(`${p.from} → ${p.to}`)}`,
  );
  return `${[`── ${head} (started ${clock(summary.startedAt)})`, ...phases].join('\n')}\n`;
}
