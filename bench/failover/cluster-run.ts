import { createConnection } from 'node:net';
import { pathToFileURL } from 'node:url';
import { keySlot } from '../../packages/core/src/index.js';
import {
  type Cluster,
  parseClusterNodes,
  pollUntil,
  type RedisNode,
  startCluster,
} from '../../packages/testkit/src/index.js';
import { CLUSTER_SUBJECTS, type ClusterSubjectFactory } from './cluster-subjects.js';
import type { Subject } from './subjects.js';
import { Writers } from './writers.js';

export type ClusterScenario = 'CLUSTER FAILOVER' | 'kill -9' | 'SIGSTOP';

export interface ClusterFailoverRow {
  scenario: ClusterScenario;
  client: string;
  /** Milliseconds from the trigger to the replica calling itself master of the shard's slots. */
  promotionMs: number;
  /** Milliseconds from that promotion to the first acknowledged write to those slots that is on the new master; null if none came within the cap. */
  resumeMs: number | null;
  /** Writes rejected, plus writes never answered by the end of the run. */
  failed: number;
  /** Writes acknowledged but missing from every list on the final masters. */
  lost: number;
  /** Extra copies across the lists (a write applied twice after a resend). */
  duplicates: number;
  acknowledged: number;
  /**
   * SIGSTOP only (null for the other events): the client's RPUSHes the old master executed after
   * SIGCONT; how many of them the client issued after SIGCONT (sent to a demoted master, where the
   * others were waiting in its socket while it was frozen); and how many were acknowledged from
   * there (acked, and absent at the end).
   */
  toOldMaster: { executed: number; issuedAfterReturn: number; acknowledged: number } | null;
}

export interface ClusterFailoverBenchResult {
  workload: string;
  rows: ClusterFailoverRow[];
}

const PASSWORD = 'bench-pw';
/** The shard whose master is failed over, killed or paused. */
const SHARD = 1;
/** Keys per client on each shard: the writes go to every master, a set of keys per client. */
const KEYS_PER_SHARD = 8;
const WORKLOAD =
  `3 masters + 1 replica each (redis-server, loopback), cluster-node-timeout 1000 ms; per client 5 writers × 100 RPUSH/s ` +
  `over ${KEYS_PER_SHARD} lists on each master (a set of lists per client), the three clients side by side ` +
  `in the same run, a fresh cluster per event; the event hits master ${SHARD}`;
/** How long after the promotion a client may take to resume before the run moves on, in milliseconds. */
const RESUME_CAP_MS = 15_000;
/** Writing goes on this long after every client resumed (or the cap), in milliseconds. */
const SETTLE_MS = 1000;
/** How long the writers' last writes may take to be answered, in milliseconds. */
const DRAIN_MS = 5000;

/** `KEYS_PER_SHARD` list keys on every shard for client `client`. */
function keysFor(cluster: Cluster, client: number): [string, ...string[]] {
  const keys: string[] = [];
  const perShard = new Array<number>(cluster.masters).fill(0);
  for (let n = 0; keys.length < cluster.masters * KEYS_PER_SHARD; n += 1) {
    const key = `bench:cluster:${client}:${n}`;
    const shard = cluster.shardOf(keySlot(key));
    if ((perShard[shard] ?? 0) >= KEYS_PER_SHARD) continue;
    perShard[shard] = (perShard[shard] ?? 0) + 1;
    keys.push(key);
  }
  return keys as [string, ...string[]];
}

/**
 * Resolves with the time `replica` first calls itself master of `slot`, asking it every 5 ms on
 * one connection of its own, or with undefined after `timeoutMs`.
 */
async function promotion(cluster: Cluster, replica: RedisNode, slot: number, timeoutMs: number) {
  const client = cluster.client(replica);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = String(await client.call('CLUSTER', 'NODES').catch(() => ''));
    const me = parseClusterNodes(text).find((e) => e.flags.includes('myself'));
    if (me?.flags.includes('master') && me.slots.some(([a, b]) => slot >= a && slot <= b)) return Date.now();
    await new Promise((r) => setTimeout(r, 5));
  }
  return undefined;
}

/**
 * `MONITOR` on a connection of its own to `node` (replies on a shared one would mix with
 * commands'): every RPUSH it executes, with the server's time and the sender's port.
 */
async function monitor(node: RedisNode, password: string) {
  const seen: { at: number; port: number; key: string; value: number }[] = [];
  const socket = createConnection({ host: node.host, port: node.port });
  socket.on('error', () => {});
  let buffer = '';
  let ok = 0;
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let end = buffer.indexOf('\r\n');
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\r\n');
        if (line === '+OK') {
          ok += 1;
          if (ok === 2) resolve();
          continue;
        }
        if (line.startsWith('-')) reject(new Error(`MONITOR on port ${node.port}: ${line}`));
        const m = /^\+(\d+)\.(\d+) \[\d+ [^\]]*:(\d+)\] "rpush" "([^"]*)" "(\d+)"/i.exec(line);
        if (m)
          seen.push({
            at: Number(m[1]) * 1000 + Math.floor(Number(m[2]) / 1000),
            port: Number(m[3]),
            key: m[4] as string,
            value: Number(m[5]),
          });
      }
    });
    const command = (...args: string[]) =>
      `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    socket.write(command('AUTH', password) + command('MONITOR'));
  });
  return { seen, close: () => socket.destroy() };
}

async function runScenario(
  scenario: ClusterScenario,
  factories: ClusterSubjectFactory[],
): Promise<ClusterFailoverRow[]> {
  const cluster = await startCluster({
    masters: 3,
    replicasPerMaster: 1,
    password: PASSWORD,
    nodeTimeoutMs: 1000,
  });
  const subjects: Subject[] = [];
  let watchOld: Awaited<ReturnType<typeof monitor>> | undefined;
  try {
    for (const factory of factories) subjects.push(await factory(cluster));
    const writers = subjects.map((subject, i) => new Writers(subject, keysFor(cluster, i)));
    const moved = (key: string) => cluster.shardOf(keySlot(key)) === SHARD;
    for (const w of writers) w.start();
    await pollUntil(() => writers.every((w) => w.acks.length >= 500), { description: 'writers warmed up' });

    const old = await cluster.master(SHARD);
    const [replica] = await cluster.replicasOf(SHARD);
    if (replica === undefined) throw new Error(`master ${SHARD} has no replica`);
    if (scenario === 'SIGSTOP') watchOld = await monitor(old, PASSWORD);
    const promoted = promotion(cluster, replica, cluster.slotRange(SHARD)[0], 30_000);
    const triggeredAt = Date.now();
    if (scenario === 'CLUSTER FAILOVER') await cluster.failover(SHARD);
    else if (scenario === 'kill -9') await cluster.killMaster(SHARD);
    else await cluster.pauseMaster(SHARD);
    const promotedAt = await promoted;
    if (promotedAt === undefined) throw new Error(`${scenario}: the replica was not promoted within 30 s`);
    await cluster.waitForMaster(SHARD, { not: old });

    await pollUntil(() => writers.every((w) => w.acks.some((a) => a.at >= promotedAt && moved(a.key))), {
      description: 'every client writing to the moved slots',
      timeoutMs: RESUME_CAP_MS,
      intervalMs: 20,
    }).catch(() => undefined);
    let returnedAt: number | undefined;
    if (scenario === 'SIGSTOP') {
      returnedAt = Date.now();
      cluster.resumeMaster(SHARD);
      await pollUntil(
        async () =>
          (await cluster.view(old)).find((e) => e.flags.includes('myself'))?.flags.includes('slave') === true,
        { description: 'the old master to rejoin as a replica', timeoutMs: 30_000 },
      );
    }
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    for (const w of writers) w.stop();
    const unanswered = await Promise.all(writers.map((w) => w.drain(DRAIN_MS)));

    // Every list as its shard's master now holds it.
    const readers = await Promise.all(
      Array.from({ length: cluster.masters }, async (_, i) => cluster.client(await cluster.master(i))),
    );
    const nodePorts = new Set(cluster.nodes.map((n) => n.port));
    return await Promise.all(
      writers.map(async (w, i) => {
        const stored: number[] = [];
        for (const key of w.keys) {
          const reader = readers[cluster.shardOf(keySlot(key))];
          stored.push(...((await reader?.lrange(key, 0, -1)) ?? []).map(Number));
        }
        const present = new Set(stored);
        const firstOnNewMaster = Math.min(
          ...w.acks
            .filter((a) => a.at >= promotedAt && moved(a.key) && present.has(a.value))
            .map((a) => a.at),
        );
        const prefix = `bench:cluster:${i}:`;
        const acked = new Set(w.acks.map((a) => a.value));
        const executed =
          watchOld === undefined || returnedAt === undefined
            ? undefined
            : watchOld.seen.filter(
                (s) => s.at >= (returnedAt as number) && !nodePorts.has(s.port) && s.key.startsWith(prefix),
              );
        return {
          scenario,
          client: (subjects[i] as Subject).name,
          promotionMs: promotedAt - triggeredAt,
          resumeMs: firstOnNewMaster - promotedAt <= RESUME_CAP_MS ? firstOnNewMaster - promotedAt : null,
          failed: w.failed + (unanswered[i] ?? 0),
          lost: w.acks.filter((a) => !present.has(a.value)).length,
          duplicates: stored.length - present.size,
          acknowledged: w.acks.length,
          toOldMaster:
            executed === undefined
              ? null
              : {
                  executed: executed.length,
                  issuedAfterReturn: executed.filter(
                    (s) => (w.issuedAt.get(s.value) ?? 0) >= (returnedAt as number),
                  ).length,
                  acknowledged: executed.filter((s) => acked.has(s.value) && !present.has(s.value)).length,
                },
        };
      }),
    );
  } finally {
    watchOld?.close();
    await Promise.all(subjects.map((s) => s.close()));
    await cluster.stop();
  }
}

/** Runs CLUSTER FAILOVER, kill -9 and SIGSTOP of one master, each on a fresh cluster with all clients side by side. */
export async function runClusterFailoverBench(
  scenarios: ClusterScenario[] = ['CLUSTER FAILOVER', 'kill -9', 'SIGSTOP'],
  subjects: ClusterSubjectFactory[] = CLUSTER_SUBJECTS,
): Promise<ClusterFailoverBenchResult> {
  const rows: ClusterFailoverRow[] = [];
  for (const scenario of scenarios) rows.push(...(await runScenario(scenario, subjects)));
  return { workload: WORKLOAD, rows };
}

export function formatClusterFailoverTable(result: ClusterFailoverBenchResult): string {
  const lines = [
    '| event | client | replica promoted after the event | first write to the moved slots on the new master after the promotion | failed commands | acked writes lost | duplicates | acked | RPUSHes the old master executed after it returned (of them issued after it returned, acked from there) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of result.rows) {
    const old =
      r.toOldMaster === null
        ? '–'
        : `${r.toOldMaster.executed} (${r.toOldMaster.issuedAfterReturn}, ${r.toOldMaster.acknowledged})`;
    const resume = r.resumeMs === null ? `– (none within ${RESUME_CAP_MS / 1000} s)` : `${r.resumeMs} ms`;
    lines.push(
      `| ${r.scenario} | ${r.client} | ${r.promotionMs} ms | ${resume} | ${r.failed} | ${r.lost} | ${r.duplicates} | ${r.acknowledged} | ${old} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runClusterFailoverBench();
  console.log(`Workload: ${result.workload}\n`);
  console.log(formatClusterFailoverTable(result));
}
