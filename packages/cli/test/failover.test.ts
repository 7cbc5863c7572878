import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './run-cli.js';

const SENTINEL_PASSWORD = 'sentinel-pw-5d1e';
const env = { SENTINEL_PASSWORD };

describe('sentinel-kit watch and failover during real failovers', () => {
  let topo: Topology;
  beforeAll(async () => {
    // Two replicas: after the graceful failover one is still a healthy replica to promote on kill -9.
    topo = await startTopology({ replicas: 2, sentinels: 3, sentinelPassword: SENTINEL_PASSWORD });
  });
  afterAll(async () => {
    await topo?.stop();
  });

  it('failover promotes a replica and reports it; watch --once prints the phases, de-duplicated, and a summary', async () => {
    const oldMaster = await topo.master();
    const watch = startCli(['watch', topo.location, '--once'], { env });
    await pollUntil(() => /on 3\/3 sentinels until a failover ends/.test(watch.stderr()), {
      description: 'watch to subscribe on every sentinel',
    });

    const failover = await runCli(['failover', topo.location], { env });
    expect(failover.stderr).toBe('');
    expect(failover.code).toBe(0);
    expect(failover.stdout).toContain(
      `failover of "mymaster" started; master was 127.0.0.1:${oldMaster.port}`,
    );
    const newMaster = await topo.master();
    expect(newMaster.port).not.toBe(oldMaster.port);
    expect(failover.stdout).toMatch(
      new RegExp(`new master 127\\.0\\.0\\.1:${newMaster.port} after [\\d.]+ m?s  role verified: master`),
    );

    const watched = await watch.result;
    expect(watched.code).toBe(0);
    const events = watched.stdout.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} {2}/.test(line));
    for (const type of [
      '+try-failover',
      '+elected-leader',
      '+selected-slave',
      '+promoted-slave',
      '+switch-master',
    ]) {
      expect(events.some((line) => line.includes(type))).toBe(true);
    }
    // Every sentinel publishes +switch-master; the feed shows it once.
    expect(events.filter((line) => line.includes('+switch-master'))).toHaveLength(1);
    expect(watched.stdout).toContain(
      `failover of "mymaster" done: 127.0.0.1:${oldMaster.port} → 127.0.0.1:${newMaster.port} in`,
    );
    expect(watched.stdout).toMatch(/leader election +\d/);
    expect(watched.stdout).toMatch(/promotion +\d/);
  });

  it('watch --json streams a kill -9 failover, down detection included, as JSON lines', async () => {
    const abort = new AbortController();
    const watch = startCli(['watch', topo.location, '--json'], { env, signal: abort.signal });
    await pollUntil(() => /on 3\/3 sentinels; Ctrl-C to stop/.test(watch.stderr()), {
      description: 'watch to subscribe on every sentinel',
    });
    await pollUntil(async () => (await runCli(['check', topo.location], { env })).code === 0, {
      description: 'a healthy replica to promote',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    const switched = topo.waitForSwitch({ timeoutMs: 30_000 });
    const killed = await topo.killMaster();
    const to = await switched;
    const records = await pollUntil(
      () => {
        const lines = watch.stdout().trimEnd().split('\n').filter(Boolean);
        const parsed = lines.map(
          (line) => JSON.parse(line) as { event?: { type: string; switch?: unknown } },
        );
        return parsed.some((r) => r.event?.type === '+switch-master') ? parsed : undefined;
      },
      { description: '+switch-master in the JSON feed' },
    );
    abort.abort();
    expect((await watch.result).code).toBe(0);
    const types = records.map((r) => r.event?.type);
    expect(types).toContain('+sdown');
    expect(types).toContain('+odown');
    const sw = records.find((r) => r.event?.type === '+switch-master')?.event;
    expect(sw?.switch).toEqual({
      from: { host: killed.host, port: killed.port },
      to: { host: to.host, port: to.port },
    });
  });
});
