import { parseLocation, probeRole, type SentinelEvent } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';
import { clusterFailover } from './cluster-failover.js';
import { openClusterTarget } from './cluster-target.js';
import { address, duration } from './format.js';
import type { CliIO } from './io.js';
import { colorEnabled, createStyle } from './style.js';
import { openTarget } from './target.js';
import { waitFor } from './wait.js';

/**
 * `sentinel-kit failover <location>`: `SENTINEL FAILOVER`, then waits for the first
 * `+switch-master` (up to `--wait`, default the master's failover-timeout) and checks with ROLE
 * that the new master says it is one. Exit 0 on a verified switch, 1 otherwise. A cluster
 * location goes to `clusterFailover`.
 */
export async function failover(args: CliArgs, io: CliIO): Promise<number> {
  const location = parseLocation(args.location);
  if (location.kind === 'cluster') return clusterFailover(args, io, openClusterTarget(args, location));
  const target = openTarget(args, location);
  const { admin } = target;
  const style = createStyle(colorEnabled(io.stdout, args.color, io.env));
  try {
    const before = await admin.master();
    let onSwitch: (event: SentinelEvent) => void = () => {};
    const switched = new Promise<SentinelEvent>((resolve) => {
      onSwitch = resolve;
    });
    // Subscribed before asking, so the switch cannot be missed however fast it is.
    await admin.subscribe((event) => {
      if (event.type === '+switch-master') onSwitch(event);
    });
    const started = Date.now();
    await admin.failover();
    const from = admin.translate({ host: before.ip, port: before.port });
    if (!args.json)
      io.stdout.write(`failover of "${target.masterName}" started; master was ${address(from)}\n`);

    const waitMs = args.waitMs ?? before.failoverTimeout;
    const event = await waitFor(switched, waitMs, io.signal);
    if (event?.switch === undefined) {
      const line = `no +switch-master within ${duration(waitMs)}; "sentinel-kit watch" shows what the sentinels do`;
      io.stdout.write(
        args.json ? `${JSON.stringify({ switched: false, from, message: line })}\n` : `${style.bad(line)}\n`,
      );
      return 1;
    }
    const elapsedMs = Date.now() - started;
    const to = admin.translate(event.switch.to);
    const role = await probeRole(to, target.dataNode).then(
      (r) => r.role,
      (err: Error) => `unknown (${err.message})`,
    );
    const verified = role === 'master';
    if (args.json) {
      io.stdout.write(
        `${JSON.stringify({ switched: true, from, to, switchedAfterMs: elapsedMs, role, verified })}\n`,
      );
    } else {
      const check = verified ? style.ok('role verified: master') : style.bad(`role: ${role}`);
      io.stdout.write(`${style.ok(`new master ${address(to)}`)} after ${duration(elapsedMs)}  ${check}\n`);
    }
    return verified ? 0 : 1;
  } finally {
    await admin.close();
  }
}
