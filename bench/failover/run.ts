import { pathToFileURL } from 'node:url';
import { pollUntil, type RedisNode, startTopology, type Topology } from '../../packages/testkit/src/index.js';
import { SUBJECTS, type Subject, type SubjectFactory } from './subjects.js';
import { Writers } from './writers.js';

export type Scenario = 'kill -9' | 'SENTINEL FAILOVER' | 'SIGSTOP';

export interface FailoverRow {
  scenario: Scenario;
  client: string;
  /** Milliseconds from the first `+switch-master` to the first acknowledged write that is on the new master; null if none came. */
  resumeMs: number | null;
  /** Writes rejected, plus writes never answered by the end of the run. */
  failed: number;
  /** Writes acknowledged but missing from the new master's list at the end. */
  lost: number;
  /** Extra copies in the list (a write applied twice after a resend). */
  duplicates: number;
  acknowledged: number;
  /** Distinct `+switch-master` messages after the trigger: more than 1 means the new master was itself replaced. */
  switches: number;
}

export interface FailoverBenchResult {
  workload: string;
  rows: FailoverRow[];
}

const WORKLOAD =
  '1 master + 2 replicas + 3 sentinels (redis-server 7.0, loopback), down-after-milliseconds 1000; ' +
  'per client 5 writers × 100 RPUSH/s, the three clients side by side in the same run';
/** How long after the switch a client may take to resume before the run moves on, in milliseconds. */
const RESUME_CAP_MS = 15_000;

const TRIGGERS: Record<Scenario, (topo: Topology) => Promise<RedisNode>> = {
  'kill -9': (topo) => topo.killMaster(),
  'SENTINEL FAILOVER': async (topo) => {
    const old = await topo.master();
    await topo.failover();
    return old;
  },
  SIGSTOP: (topo) => topo.pauseMaster(),
};

async function runScenario(scenario: Scenario, factories: SubjectFactory[]): Promise<FailoverRow[]> {
  const topo = await startTopology({ replicas: 2, sentinels: 3, downAfterMs: 1000, password: 'bench-pw' });
  const subjects: Subject[] = [];
  try {
    for (const factory of factories) subjects.push(await factory(topo));
    const writers = subjects.map((subject, i) => new Writers(subject, [`bench:failover:${i}`]));
    for (const w of writers) w.start();
    await pollUntil(() => writers.every((w) => w.acks.length >= 200), { description: 'writers warmed up' });

    const triggeredAt = Date.now();
    const switched = topo.waitForSwitch({ timeoutMs: 30_000 });
    await TRIGGERS[scenario](topo);
    const sw = await switched;
    const newMaster = topo.nodes.find((n) => n.port === sw.port) as RedisNode;
    const reader = topo.client(newMaster);

    // A client has resumed once the newest element on the new master was acknowledged after the switch.
    const resumed = async (w: Writers): Promise<boolean> => {
      const last = await reader.lindex(w.keys[0], -1);
      return last !== null && w.acks.some((a) => a.value === Number(last) && a.at >= sw.at);
    };
    await pollUntil(async () => (await Promise.all(writers.map(resumed))).every(Boolean), {
      description: 'every client writing on the new master',
      timeoutMs: RESUME_CAP_MS,
      intervalMs: 100,
    }).catch(() => undefined);
    for (const w of writers) w.stop();
    if (scenario === 'SIGSTOP') await topo.resumeMaster();
    const unanswered = await Promise.all(writers.map((w) => w.drain(5_000)));
    const switches = new Set(
      topo.sentinelEvents
        .filter((e) => e.type === '+switch-master' && e.at >= triggeredAt)
        .map((e) => e.message),
    ).size;

    // Awaited here, not returned: `finally` below stops the topology, whose client `reader` is, and
    // a bare `return` let it do so while these LRANGEs were still in flight.
    return await Promise.all(
      writers.map(async (w, i) => {
        const stored = (await reader.lrange(w.keys[0], 0, -1)).map(Number);
        const present = new Set(stored);
        const onNewMaster = w.acks.filter((a) => a.at >= sw.at && present.has(a.value)).map((a) => a.at);
        return {
          scenario,
          client: (subjects[i] as Subject).name,
          resumeMs: onNewMaster.length === 0 ? null : Math.min(...onNewMaster) - sw.at,
          failed: w.failed + (unanswered[i] ?? 0),
          lost: w.acks.filter((a) => !present.has(a.value)).length,
          duplicates: stored.length - present.size,
          acknowledged: w.acks.length,
          switches,
        };
      }),
    );
  } finally {
    await Promise.all(subjects.map((s) => s.close()));
    await topo.stop();
  }
}

/** Runs kill -9, SENTINEL FAILOVER and SIGSTOP, each on a fresh topology with all clients side by side. */
export async function runFailoverBench(
  scenarios: Scenario[] = ['kill -9', 'SENTINEL FAILOVER', 'SIGSTOP'],
  subjects: SubjectFactory[] = SUBJECTS,
): Promise<FailoverBenchResult> {
  const rows: FailoverRow[] = [];
  for (const scenario of scenarios) rows.push(...(await runScenario(scenario, subjects)));
  return { workload: WORKLOAD, rows };
}

export function formatFailoverTable(result: FailoverBenchResult): string {
  const lines = [
    '| event | client | first write on new master after first +switch-master | failed commands | acked writes lost | duplicates | acked | +switch-master |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of result.rows) {
    const resume = r.resumeMs === null ? `none within ${RESUME_CAP_MS / 1000} s` : `${r.resumeMs} ms`;
    lines.push(
      `| ${r.scenario} | ${r.client} | ${resume} | ${r.failed} | ${r.lost} | ${r.duplicates} | ${r.acknowledged} | ${r.switches} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runFailoverBench();
  console.log(`Workload: ${result.workload}\n`);
  console.log(formatFailoverTable(result));
}
