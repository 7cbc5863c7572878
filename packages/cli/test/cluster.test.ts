import { type ClusterReport, EXIT_USAGE } from '@sentinel-kit/cli';
import { formatSlots } from '@sentinel-kit/core';
import { type Cluster, freePorts, pollUntil, startCluster } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, startCli } from './run-cli.js';

const PASSWORD = 'cluster-pw-3b8e';
const env = { REDIS_PASSWORD: PASSWORD };
const ESC = String.fromCharCode(27);
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const at = (node: { host: string; port: number }) => `${node.host}:${node.port}`;

/** Polls `check` until its run satisfies `done`; returns that run. */
const checkUntil = (
  cluster: Cluster,
  done: (result: CliResult) => boolean,
  description: string,
): Promise<CliResult> =>
  pollUntil(
    async () => {
      const result = await runCli(['check', cluster.location], { env });
      return done(result) ? result : undefined;
    },
    { description, timeoutMs: 20_000, intervalMs: 50 },
  );

describe('sentinel-kit on a real Redis Cluster (3 masters, 1 replica each)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Master `i`'s slots and replica as the cluster itself says, not as the test expects them. */
  const shard = async (i: number) => {
    const master = await cluster.master(i);
    const view = await cluster.view(master);
    const self = view.find((e) => e.flags.includes('myself'));
    const replicas = view.filter((e) => e.masterId === self?.id);
    return { master, slots: formatSlots(self?.slots ?? []), replicas };
  };

  it('status lists each master with its slot ranges and count as the cluster has them, its replica linked, no slot uncovered', async () => {
    const { code, stdout, stderr } = await runCli(['status', cluster.location], { env });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Redis Cluster  3 masters  3 replicas  16384/16384 slots covered');
    for (let i = 0; i < 3; i++) {
      const { master, slots, replicas } = await shard(i);
      const [first, last] = cluster.slotRange(i);
      expect(stdout).toMatch(
        new RegExp(
          `${literal(at(master))}\\s+${literal(slots)}\\s+${last - first + 1}\\s+1/1 online\\s+ok\\s+master`,
        ),
      );
      expect(replicas).toHaveLength(1);
      const replica = replicas[0] as (typeof replicas)[number];
      expect(stdout).toMatch(
        new RegExp(`${literal(at(replica))}\\s+${literal(at(master))}\\s+ok\\s+ok\\s+slave`),
      );
    }
    expect(stdout).toContain('Replicas (3/3 online)');
    expect(stdout).toContain('Slots not covered: none');
    expect(stdout).not.toContain(`${ESC}[`);
    expect(stdout).not.toContain(PASSWORD);
  });

  it('status --json gives the masters, their slots and replicas as data', async () => {
    const { code, stdout } = await runCli(['status', cluster.location, '--json', '--password', PASSWORD]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ClusterReport;
    expect(report.kind).toBe('cluster');
    expect(report.uncovered).toEqual([]);
    expect(report.coveredSlots).toBe(16384);
    for (let i = 0; i < 3; i++) {
      const { master, replicas } = await shard(i);
      const entry = report.masters.find((m) => m.port === master.port);
      expect(entry).toMatchObject({ slots: [cluster.slotRange(i)], failing: false });
      expect(entry?.replicas).toMatchObject([
        { port: replicas[0]?.port, replicationLink: 'connected', online: true },
      ]);
    }
  });

  it('check exits 0 and says healthy', async () => {
    const { code, stdout } = await runCli(['check', cluster.location], { env });
    expect(stdout).toBe('healthy\n');
    expect(code).toBe(0);
  });

  it('a wrong password is the typed auth error naming the password option, exit 1, no password printed', async () => {
    const status = await runCli(['status', cluster.location, '--password', 'wrong-pw-c0ffee']);
    expect(status.code).toBe(1);
    expect(status.stdout).toBe('');
    expect(status.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(status.stderr).toMatch(
      /^sentinel-kit: The data node 127\.0\.0\.1:\d+ refused the credentials \(WRONGPASS\)\. Check the option "password"/,
    );
    expect(status.stderr).not.toContain('wrong-pw-c0ffee');
    const check = await runCli(['check', cluster.location, '--password', 'wrong-pw-c0ffee']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^The data node 127\.0\.0\.1:\d+ refused the credentials/);
    expect(check.stdout).not.toContain('wrong-pw-c0ffee');
  });

  it('failover without --master, or with one that is not a master, is a usage error listing the masters', async () => {
    const missing = await runCli(['failover', cluster.location], { env });
    expect(missing.code).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(
      /"failover" on a cluster needs --master: one of 0 = 127\.0\.0\.1:\d+ \(0-5460\)/,
    );
    const wrong = await runCli(['failover', cluster.location, '--master', '7'], { env });
    expect(wrong.code).toBe(EXIT_USAGE);
    expect(wrong.stderr).toContain('has no master "7"');
  });

  it('failover --master moves the slots to the replica, printing the timeline, and watch --once sees it', async () => {
    const before = await shard(1);
    const replica = before.replicas[0];
    if (replica === undefined) throw new Error('master 1 has no replica');
    const watch = startCli(['watch', cluster.location, '--once', '--interval', '50'], { env });
    await pollUntil(() => /every 50 ms until a failover ends/.test(watch.stderr()), {
      description: 'watch to take its first view',
    });

    const result = await runCli(['failover', cluster.location, '--master', at(before.master)], { env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `failover of master ${at(before.master)} (slots ${before.slots}) started: CLUSTER FAILOVER sent to ${at(replica)}`,
    );
    expect(result.stdout).toMatch(new RegExp(`promoted\\s+${literal(at(replica))}`));
    expect(result.stdout).toMatch(
      new RegExp(
        `slots-moved\\s+${literal(at(replica))} ${literal(before.slots)} \\(\\d+ slots\\) from ${literal(at(before.master))}`,
      ),
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `failover of slots ${literal(before.slots)} done: ${literal(at(before.master))} → ${literal(at(replica))} in \\d+ ms`,
      ),
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `new master ${literal(at(replica))} for slots ${literal(before.slots)} after \\d+ ms  role verified: master`,
      ),
    );
    const after = await shard(1);
    expect(after.master.port).toBe(replica.port);
    expect(after.slots).toBe(before.slots);

    const watched = await watch.result;
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(
      new RegExp(`slots-moved\\s+${literal(at(replica))} ${literal(before.slots)}`),
    );
    expect(watched.stdout).toMatch(
      new RegExp(
        `failover of slots ${literal(before.slots)} done: ${literal(at(before.master))} → ${literal(at(replica))}`,
      ),
    );
  });

  // Damages the cluster, so it runs after the tests that need it whole.
  it('check fails while a killed master is flagged and before its replica took over; watch times the failover', async () => {
    await checkUntil(cluster, (r) => r.code === 0, 'the demoted master of the failover test to be linked');
    const before = await shard(0);
    const abort = new AbortController();
    const watch = startCli(['watch', cluster.location, '--json', '--interval', '50'], {
      env,
      signal: abort.signal,
    });
    try {
      await pollUntil(() => /every 50 ms; Ctrl-C to stop/.test(watch.stderr()), {
        description: 'watch to start',
      });
      const killed = await cluster.killMaster(0);
      // Its slots still listed with it: the replica has not taken over yet.
      const flaggedLine = new RegExp(
        `^master ${literal(at(killed))} \\(slots ${literal(before.slots)}\\) is flagged fail\\??$`,
        'm',
      );
      const flagged = await checkUntil(
        cluster,
        (r) => flaggedLine.test(r.stdout),
        'check to see the killed master flagged, before the failover',
      );
      expect(flagged.code).toBe(1);
      await cluster.waitForMaster(0, { not: killed });
      const records = await pollUntil(
        () => {
          const lines = watch.stdout().trimEnd().split('\n').filter(Boolean);
          const parsed = lines.map(
            (line) => JSON.parse(line) as { change?: { type: string }; summary?: unknown },
          );
          return parsed.some((r) => r.summary !== undefined) ? parsed : undefined;
        },
        { description: 'a failover summary in the JSON feed' },
      );
      const types = records.map((r) => r.change?.type).filter(Boolean);
      expect(types).toContain('fail');
      expect(types).toContain('promoted');
      const summary = records.find((r) => r.summary !== undefined)?.summary as {
        slots: [number, number][];
        from: { port: number };
        to: { port: number };
        totalMs: number;
        startedBy: string;
      };
      expect(summary.slots).toEqual([cluster.slotRange(0)]);
      expect(summary.from.port).toBe(killed.port);
      expect(summary.to.port).toBe(before.replicas[0]?.port);
      expect(['fail?', 'fail']).toContain(summary.startedBy);
      expect(summary.totalMs).toBeGreaterThan(0);
    } finally {
      abort.abort();
    }
    expect((await watch.result).code).toBe(0);
  });

  it('check fails with one line per problem once a replica is killed', async () => {
    const { master, replicas } = await shard(2);
    const replica = cluster.nodes.find((n) => n.port === replicas[0]?.port);
    if (replica === undefined) throw new Error('master 2 has no replica');
    await replica.kill();
    const result = await pollUntil(
      async () => {
        const r = await runCli(['check', cluster.location, '--json'], { env });
        const { problems } = JSON.parse(r.stdout) as { problems: string[] };
        return problems.some((p) => p.startsWith(`replica ${at(replica)}`)) ? { r, problems } : undefined;
      },
      { description: 'check to see the replica flagged', timeoutMs: 20_000, intervalMs: 50 },
    );
    expect(result.r.code).toBe(1);
    expect(result.problems).toContain(
      `master ${at(master)} (slots ${formatSlots([cluster.slotRange(2)])}) has no replica online (1 known)`,
    );
    expect(result.problems).toContainEqual(
      expect.stringMatching(
        new RegExp(`^replica ${literal(at(replica))} of ${literal(at(master))} is flagged fail\\??$`),
      ),
    );

    const refused = await runCli(['failover', cluster.location, '--master', at(master)], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `sentinel-kit: The master ${at(master)} cannot be failed over: it has no replica that is up.\n`,
    );
  });
});

describe('sentinel-kit on a cluster location nobody answers', () => {
  it('status is one line naming each seed node and its error, exit 1; check makes it a problem line', async () => {
    const [a, b] = await freePorts(2);
    const location = `redis+cluster://127.0.0.1:${a},127.0.0.1:${b}`;
    const status = await runCli(['status', location, '--timeout', '300']);
    expect(status.code).toBe(1);
    expect(status.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(status.stderr).toMatch(/^sentinel-kit: No node of the cluster answered: /);
    expect(status.stderr).toContain(`127.0.0.1:${a}: connect ECONNREFUSED`);
    expect(status.stderr).toContain(`127.0.0.1:${b}: connect ECONNREFUSED`);
    expect(status.stderr).toContain('raise "timeoutMs" (now 300 ms)');
    const check = await runCli(['check', location, '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({
      healthy: false,
      problems: [expect.stringMatching(/^No node of the cluster answered/)],
    });
  });
});
