import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Caches, createCaches } from '@sentinel-kit/core';
import { SentinelSessionStore } from '@sentinel-kit/express-session';
import { pollUntil, type RedisNode, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoApp } from '../src/app.js';
import { browse, SimulatedUser, type Visit } from './simulated-users.js';
import { untilHealthy } from './topology-health.js';

const USERS = 100;
/** Sentinel down-after-milliseconds of the test topology. */
const DOWN_AFTER_MS = 1000;
/**
 * The documented outage window of an unplanned failover, counted from the switch the sentinels
 * announce: after `+switch-master` the connector needs at most this long to move (README).
 */
const AFTER_SWITCH_MS = 3000;

let topo: Topology;
let caches: Caches;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  topo = await startTopology({
    replicas: 2,
    sentinels: 3,
    downAfterMs: DOWN_AFTER_MS,
    failoverTimeoutMs: 4000,
  });
  // readFrom 'replica' on purpose: the session store must read the master all the same.
  caches = createCaches({
    default: { location: topo.location, keyPrefix: 'dj', options: { readFrom: 'replica' } },
  });
  const store = new SentinelSessionStore({ caches, durability: { replicas: 1, timeout: 100 } });
  const app = createDemoApp({ store, location: topo.location, failover: () => topo.failover() });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  await caches?.close();
  await topo?.stop();
});

interface Phase {
  name: string;
  triggeredAt: number;
  switchedAt: number;
  recoveredAt: number;
}

async function runPhase(
  users: SimulatedUser[],
  name: string,
  trigger: () => Promise<unknown>,
): Promise<Phase> {
  const switched = topo.waitForSwitch({ timeoutMs: 30_000 });
  const triggeredAt = Date.now();
  await trigger();
  const { at: switchedAt } = await switched;
  // Recovered = every user has had two good answers to requests sent after the switch.
  await pollUntil(() => users.every((u) => u.successesSince(switchedAt) >= 2), {
    description: `all ${USERS} users browsing again after ${name}`,
    timeoutMs: 30_000,
    intervalMs: 100,
  }).catch((error: Error) => {
    const since = users.flatMap((u) => u.visits).filter((v) => v.endedAt >= triggeredAt);
    const counts = new Map<number, number>();
    for (const v of since) counts.set(v.status, (counts.get(v.status) ?? 0) + 1);
    const statuses = [...counts].map(([status, n]) => `HTTP ${status || 'none'}: ${n}`);
    const stuck = users.filter((u) => u.successesSince(switchedAt) < 2).length;
    throw new Error(
      `${error.message} (${stuck} users not back; answers since trigger: ${statuses.join(', ')})`,
    );
  });
  return { name, triggeredAt, switchedAt, recoveredAt: Date.now() };
}

const failed = (v: Visit) => v.status === 0 || v.status >= 500;

it(`${USERS} users stay logged in with counters that only go up through kill -9, SENTINEL FAILOVER and SIGSTOP`, async () => {
  const users = Array.from({ length: USERS }, (_, i) => new SimulatedUser(`user-${i}`, baseUrl));
  await Promise.all(users.map((u) => u.login()));
  const traffic = browse(users, { thinkMs: 250, timeoutMs: 20_000 });
  const phases: Phase[] = [];
  try {
    const startedAt = Date.now();
    await pollUntil(() => users.every((u) => u.successesSince(startedAt) >= 2), {
      description: 'every user browsing',
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    let killed: RedisNode | undefined;
    phases.push(
      await runPhase(users, 'kill -9 of the master', async () => {
        killed = await topo.killMaster();
      }),
    );
    // Heal between faults, as an operator would: restart the dead node and let it catch up.
    await topo.restartNode(killed as RedisNode);
    await untilHealthy(topo, 2);
    phases.push(await runPhase(users, 'SENTINEL FAILOVER', () => topo.failover()));
    await untilHealthy(topo, 2);
    phases.push(await runPhase(users, 'SIGSTOP of the master', () => topo.pauseMaster()));
  } finally {
    await traffic.stop();
    await topo.resumeMaster();
  }

  const all = users.flatMap((u) => u.visits);
  expect(all.length).toBeGreaterThan(USERS * 10);

  // Nobody logged out: never a 401, never another user's session, never a new session cookie.
  expect(all.filter((v) => v.status === 401)).toEqual([]);
  expect(all.filter((v) => v.status === 200 && v.shownUser !== v.user)).toEqual([]);
  expect(all.filter((v) => v.newCookie)).toEqual([]);

  // No counter goes backwards (or repeats: every good answer is a new, stored visit).
  for (const user of users) {
    const counts = user.visits.filter((v) => v.status === 200).map((v) => v.visits as number);
    const backwards = counts.filter((c, i) => i > 0 && c <= (counts[i - 1] as number));
    expect({ user: user.name, backwards }).toEqual({ user: user.name, backwards: [] });
  }

  // No failure at all around the graceful failover; for the others only inside the window.
  const [killed, graceful, paused] = phases as [Phase, Phase, Phase];
  const during = (p: Phase, v: Visit) => v.endedAt >= p.triggeredAt && v.startedAt <= p.recoveredAt;
  expect(all.filter((v) => failed(v) && during(graceful, v))).toEqual([]);
  const outsideWindows = all.filter(
    (v) =>
      failed(v) &&
      ![killed, paused].some(
        (p) => v.endedAt >= p.triggeredAt && v.startedAt <= p.switchedAt + AFTER_SWITCH_MS,
      ),
  );
  expect(outsideWindows).toEqual([]);

  const summary = phases.map((p) => ({
    phase: p.name,
    switchAfterMs: p.switchedAt - p.triggeredAt,
    failures: all.filter((v) => failed(v) && during(p, v)).length,
    slowestMs: Math.max(...all.filter((v) => during(p, v)).map((v) => v.endedAt - v.startedAt)),
  }));
  console.log(`session failover run: ${all.length} requests`, JSON.stringify(summary));
}, 180_000);
