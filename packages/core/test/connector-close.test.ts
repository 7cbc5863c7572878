import {
  pollUntil,
  type Standalone,
  startStandalone,
  startTopology,
  type Topology,
} from '@sentinel-kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloseChildConfig, CloseScenario } from './close-child.js';
import { type CloseRun, runCloseChild } from './close-probe.js';

const PASSWORD = 'close-data-pw';
const SENTINEL_PASSWORD = 'close-sentinel-pw';

/** What close() promises, whatever the phase: every call settles at once with ERR_CLOSED, and the process exits. */
function expectClosedCleanly(run: CloseRun): void {
  const { report } = run;
  expect(report, run.output).toBeDefined();
  if (report === undefined) return;
  const summary = JSON.stringify({ ...report, exitCode: run.exitCode, exitedAfterMs: run.exitedAfterMs });
  expect(report.pending, summary).toBe(0);
  expect(run.pendingAtExit, summary).toBe(0);
  expect(report.settledWithinMs, summary).toBeLessThan(250);
  for (const code of Object.keys(report.codesAfterClose)) expect(code, summary).toBe('ERR_CLOSED');
  expect(report.afterClose.settled, summary).toBe(report.afterClose.issued);
  for (const code of Object.keys(report.afterClose.codes)) expect(code, summary).toBe('ERR_CLOSED');
  expect(run.exitCode, summary).toBe(0);
  expect(run.exitedAfterMs, summary).toBeLessThan(2000);
}

describe('close() on a sentinel topology, in every phase', () => {
  let topo: Topology;
  const config = (scenario: CloseScenario): CloseChildConfig => ({
    scenario,
    location: topo.location,
    password: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
  });

  beforeAll(async () => {
    topo = await startTopology({
      replicas: 1,
      sentinels: 3,
      downAfterMs: 1000,
      password: PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
    });
  });
  afterAll(async () => {
    await topo?.stop();
  });

  /** Waits until the sentinels agree on a master that has a linked replica again. */
  const steady = async () => {
    await pollUntil(
      async () => {
        const master = await topo.master();
        const info = String(await topo.client(master).info('replication'));
        return /connected_slaves:1/.test(info) && /state=online/.test(info);
      },
      { description: 'the topology to settle on a master with its replica', timeoutMs: 30_000 },
    );
  };

  it('while connecting: right after the connector is created', async () => {
    expectClosedCleanly(await runCloseChild(config('connecting')));
  });

  it('while writes are held by a failover', async () => {
    const switched = topo.waitForSwitch();
    expectClosedCleanly(await runCloseChild(config('held'), { trigger: () => topo.failover() }));
    await switched;
    await steady();
  }, 60_000);

  it('at the switch, in the failover event', async () => {
    const switched = topo.waitForSwitch();
    expectClosedCleanly(await runCloseChild(config('switch'), { trigger: () => topo.failover() }));
    await switched;
    await steady();
  }, 60_000);

  it('while the master is paused (SIGSTOP) and writes go unanswered', async () => {
    try {
      expectClosedCleanly(await runCloseChild(config('paused'), { trigger: () => topo.pauseMaster() }));
    } finally {
      await topo.resumeMaster();
    }
    await steady();
  }, 60_000);

  it('while the write client reconnects after kill -9 of the master', async () => {
    const switched = topo.waitForSwitch();
    let killed: Awaited<ReturnType<Topology['killMaster']>> | undefined;
    try {
      expectClosedCleanly(
        await runCloseChild(config('reconnecting'), {
          trigger: async () => {
            killed = await topo.killMaster();
          },
        }),
      );
    } finally {
      await switched.catch(() => undefined);
      if (killed) await topo.restartNode(killed);
    }
  }, 60_000);
  // Last: sentinels paused for seconds enter TILT mode and start no failover for 30 s afterwards.
  it('during a sentinel stall: every sentinel paused, close() 900–1000 ms into the first calls', async () => {
    const signal = (name: NodeJS.Signals) => {
      for (const sentinel of topo.sentinels) sentinel.signal(name);
    };
    try {
      expectClosedCleanly(await runCloseChild(config('stall'), { trigger: async () => signal('SIGSTOP') }));
    } finally {
      signal('SIGCONT');
    }
  }, 60_000);
});

describe('close() on a one-server location', () => {
  let server: Standalone;
  beforeAll(async () => {
    server = await startStandalone({ password: PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('before first use: a closed registry opens nothing, and its calls fail with ERR_CLOSED', async () => {
    const run = await runCloseChild({
      scenario: 'before-first-use',
      location: server.location,
      password: PASSWORD,
    });
    expectClosedCleanly(run);
    expect(run.report?.afterClose.codes).toEqual({ ERR_CLOSED: 3 });
  });

  it('while reconnecting to a server that is gone for good', async () => {
    expectClosedCleanly(
      await runCloseChild(
        { scenario: 'unreachable', location: server.location, password: PASSWORD },
        { trigger: () => server.node.kill() },
      ),
    );
  }, 60_000);
});
