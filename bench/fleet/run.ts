import { type ChildProcess, fork } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { pollUntil, type RedisNode, startTopology, type Topology } from '../../packages/testkit/src/index.js';
import { bundleApp } from './app-bundle.js';

/**
 * The fleet bench: `apps` processes (default 200), each an app with three aliases (`createCaches` on
 * dbs 0/1/2 of one topology) writing every `intervalMs`, ride kill -9, SENTINEL FAILOVER and
 * SIGSTOP of the master in turn on one topology. Per event: when each app's first write after the
 * first `+switch-master` was acknowledged (p50/p99/max), the writes that failed, the acknowledged
 * writes the topology no longer holds once the old master has rejoined, the fleet's connections per
 * sentinel, and the sentinels' commands per second before, during and after.
 */
export type FleetEvent = 'kill -9' | 'SENTINEL FAILOVER' | 'SIGSTOP';

export interface FleetRow {
  event: FleetEvent;
  apps: number;
  /** Milliseconds from the switch to each app's first acknowledged write after it, sorted; apps that wrote none are left out. */
  resumeMs: number[];
  notResumed: number;
  failed: number;
  /** Acknowledged writes (from the event's start to the old master's rejoining) that no node holds. */
  lost: number;
  /** The fleet's connections on each sentinel (its total less the count before the apps started). */
  connectionsPerSentinel: number[];
  /** Commands per second the sentinels processed together: before the trigger, from it to 2 s after the switch, and the 3 s after that. */
  commandsPerSecond: { before: number; during: number; after: number };
}

export interface FleetResult {
  workload: string;
  rows: FleetRow[];
}

const PASSWORD = 'fleet-pw';
/** Apps started together; the next wave starts once these are ready. */
const START_WAVE = 20;
interface Reply {
  type: 'ready' | 'report' | 'verified';
  firstAck?: number | null;
  failed?: number;
  /** -1 when the app could not read its keys back (then `error`). */
  lost?: number;
  error?: string;
}

/** The child's next reply of `type`; rejects if the child exits first (a crashed app must not hang the run). */
function ask(child: ChildProcess, message: object, type: Reply['type']): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) => {
      child.off('message', onMessage);
      reject(new Error(`fleet: app ${child.pid} exited (${signal ?? code}) before its '${type}' reply`));
    };
    const onMessage = (reply: Reply) => {
      if (reply.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(reply);
    };
    if (child.exitCode !== null || child.signalCode !== null) return onExit(child.exitCode, child.signalCode);
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (Object.keys(message).length > 0) child.send(message);
  });
}

/** Sums an INFO field over the sentinels. */
async function sentinelInfo(probes: Redis[], section: string, field: string): Promise<number[]> {
  return Promise.all(
    probes.map(async (probe) => Number(new RegExp(`${field}:(\\d+)`).exec(await probe.info(section))?.[1])),
  );
}

async function commandRate(probes: Redis[], from: number[], sinceMs: number): Promise<number> {
  const now = await sentinelInfo(probes, 'stats', 'total_commands_processed');
  const total = now.reduce((sum, n, i) => sum + n - (from[i] ?? 0), 0);
  return Math.round(total / ((Date.now() - sinceMs) / 1000));
}

async function rejoined(topo: Topology, node: RedisNode): Promise<void> {
  const client = topo.client(node);
  await pollUntil(
    async () => {
      const info = await client.info('replication').catch(() => '');
      return /role:slave/.test(info) && /master_link_status:up/.test(info);
    },
    { description: `${node.name} to replicate the new master`, timeoutMs: 120_000 },
  );
}

async function ride(
  event: FleetEvent,
  topo: Topology,
  children: ChildProcess[],
  probes: Redis[],
  baseline: number[],
): Promise<FleetRow> {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));
  let mark = await sentinelInfo(probes, 'stats', 'total_commands_processed');
  let markAt = Date.now();
  await settle();
  const before = await commandRate(probes, mark, markAt);
  const clients = await sentinelInfo(probes, 'clients', 'connected_clients');

  mark = await sentinelInfo(probes, 'stats', 'total_commands_processed');
  markAt = Date.now();
  await Promise.all(children.map((child) => ask(child, { type: 'report', since: 0 }, 'report')));
  const switched = topo.waitForSwitch({ timeoutMs: 60_000 });
  let old: RedisNode;
  if (event === 'kill -9') old = await topo.killMaster();
  else if (event === 'SIGSTOP') old = await topo.pauseMaster();
  else {
    old = await topo.master();
    await topo.failover();
  }
  const sw = await switched;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const during = await commandRate(probes, mark, markAt);
  const reports = await Promise.all(
    children.map((child) => ask(child, { type: 'report', since: sw.at }, 'report')),
  );

  mark = await sentinelInfo(probes, 'stats', 'total_commands_processed');
  markAt = Date.now();
  await settle();
  const after = await commandRate(probes, mark, markAt);

  if (event === 'kill -9') await topo.restartNode(old);
  if (event === 'SIGSTOP') await topo.resumeMaster();
  await rejoined(topo, old);
  const until = Date.now();
  await topo.waitForReplicasInSync({ timeoutMs: 120_000 });
  const verified = await Promise.all(
    children.map((child) => ask(child, { type: 'verify', until }, 'verified')),
  );
  const unreadable = verified.find((v) => (v.lost ?? 0) < 0);
  if (unreadable) throw new Error(`fleet: an app could not read its writes back: ${unreadable.error}`);

  const resumeMs = reports
    .map((r) => (r.firstAck == null ? null : r.firstAck - sw.at))
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  return {
    event,
    apps: children.length,
    resumeMs,
    notResumed: children.length - resumeMs.length,
    failed: reports.reduce((sum, r) => sum + (r.failed ?? 0), 0),
    lost: verified.reduce((sum, v) => sum + (v.lost ?? 0), 0),
    connectionsPerSentinel: clients.map((n, i) => n - (baseline[i] ?? 0)),
    commandsPerSecond: { before, during, after },
  };
}

export async function runFleetBench(
  options: { apps?: number; intervalMs?: number; events?: FleetEvent[] } = {},
): Promise<FleetResult> {
  const apps = options.apps ?? 200;
  const intervalMs = options.intervalMs ?? 100;
  const events = options.events ?? ['kill -9', 'SENTINEL FAILOVER', 'SIGSTOP'];
  const topo = await startTopology({ replicas: 2, sentinels: 3, downAfterMs: 1000, password: PASSWORD });
  const probes = topo.sentinels.map((s) => new Redis({ host: s.host, port: s.port, lazyConnect: true }));
  const children: ChildProcess[] = [];
  const bundle = await bundleApp();
  try {
    const baseline = await sentinelInfo(probes, 'clients', 'connected_clients');
    // Started in waves, as a rolling deploy would: 200 processes opening their connections in the
    // same second time out on a 2-core machine's sentinels before any failover is measured.
    for (let i = 0; i < apps; i += START_WAVE) {
      const wave = Array.from({ length: Math.min(START_WAVE, apps - i) }, () =>
        fork(bundle.file, [], {
          execArgv: [],
          env: {
            ...process.env,
            FLEET_PASSWORD: PASSWORD,
            FLEET_INTERVAL_MS: String(intervalMs),
            FLEET_LOCATION_0: topo.locationFor(0),
            FLEET_LOCATION_1: topo.locationFor(1),
            FLEET_LOCATION_2: topo.locationFor(2),
          },
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        }),
      );
      children.push(...wave);
      await Promise.all(wave.map((child) => ask(child, {}, 'ready')));
    }
    const rows: FleetRow[] = [];
    for (const event of events) {
      const row = await ride(event, topo, children, probes, baseline);
      rows.push(row);
      // As each event ends: a run that fails later still leaves what it measured.
      console.error(
        formatFleetTable({ workload: '', rows: [row] })
          .split('\n')
          .at(-1),
      );
    }
    const workload =
      `${apps} app processes × 3 aliases (dbs 0/1/2), each alias one set every ${intervalMs} ms; ` +
      '1 master + 2 replicas + 3 sentinels (loopback), down-after-milliseconds 1000; the events in turn on one topology';
    return { workload, rows };
  } finally {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.send({ type: 'stop' });
          }),
      ),
    );
    for (const probe of probes) probe.disconnect();
    await topo.stop();
    await bundle.remove();
  }
}

const pct = (sorted: number[], p: number): string => {
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return value === undefined ? '–' : `${value} ms`;
};

export function formatFleetTable(result: FleetResult): string {
  const lines = [
    '| event | apps | first write after +switch-master p50 / p99 / max | apps not writing again | failed writes | acked writes lost | fleet connections per sentinel | sentinel commands/s before / during / after |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of result.rows) {
    const c = r.commandsPerSecond;
    lines.push(
      `| ${r.event} | ${r.apps} | ${pct(r.resumeMs, 50)} / ${pct(r.resumeMs, 99)} / ${pct(r.resumeMs, 100)} | ${r.notResumed} | ${r.failed} | ${r.lost} | ${r.connectionsPerSentinel.join(', ')} | ${c.before} / ${c.during} / ${c.after} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const apps = Number(process.env.FLEET_APPS ?? 200);
  const result = await runFleetBench({ apps });
  console.log(`Workload: ${result.workload}\n`);
  console.log(formatFleetTable(result));
}
