import {
  AllSentinelsUnreachableError,
  AuthenticationError,
  FailoverRefusedError,
  type NodeAddress,
  SentinelAdmin,
  type SentinelAdminOptions,
  type SentinelEvent,
  UnknownMasterError,
} from '@sentinel-kit/core';
import { freePorts, pollUntil, startTopology, TOPOLOGY_DEFAULTS, type Topology } from '@sentinel-kit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminConnections as countAdminConnections } from './sentinel-connections.js';

const PASSWORD = 'data-secret-1';
const SENTINEL_PASSWORD = 'sentinel-secret-2';

const admins: SentinelAdmin[] = [];
const adminFor = (topo: Topology, overrides: Partial<SentinelAdminOptions> = {}): SentinelAdmin => {
  const admin = new SentinelAdmin({
    sentinels: topo.sentinels.map(({ host, port }) => ({ host, port })),
    masterName: topo.masterName,
    sentinelPassword: topo.sentinelPassword,
    ...overrides,
  });
  admins.push(admin);
  return admin;
};
afterEach(async () => {
  await Promise.all(admins.splice(0).map((admin) => admin.close()));
});

/** Addresses where nothing listens: connections are refused at once. */
const deadSentinels = async (count: number): Promise<NodeAddress[]> =>
  (await freePorts(count)).map((port) => ({ host: '127.0.0.1', port }));

const adminConnections = (topo: Topology, index = 0): Promise<number> =>
  countAdminConnections(topo, index, SENTINEL_PASSWORD);

describe('SentinelAdmin on a healthy topology', () => {
  let topo: Topology;
  beforeAll(async () => {
    topo = await startTopology({
      replicas: 1,
      sentinels: 3,
      password: PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
    });
  });
  afterAll(async () => {
    await topo?.stop();
  });

  it('master() parses SENTINEL MASTER into typed numbers and flags', async () => {
    const master = await topo.master();
    const info = await adminFor(topo).master();
    expect(info).toMatchObject({
      name: topo.masterName,
      ip: master.host,
      port: master.port,
      quorum: 2,
      numSlaves: 1,
      numOtherSentinels: 2,
      downAfterMilliseconds: 1000,
      failoverTimeout: TOPOLOGY_DEFAULTS.failoverTimeoutMs,
    });
    expect(info.flags).toEqual(['master']);
    expect(info.raw['down-after-milliseconds']).toBe('1000');
  });

  it('replicas() reports each replica with link status and replication offset', async () => {
    const [replica] = await topo.replicas();
    const admin = adminFor(topo);
    const replicas = await pollUntil(
      async () => {
        const list = await admin.replicas();
        return list[0]?.masterLinkStatus === 'ok' && list[0].slaveReplOffset > 0 ? list : undefined;
      },
      { description: 'the replica to report a live link and an offset' },
    );
    expect(replicas).toHaveLength(1);
    expect(replicas[0]).toMatchObject({ ip: replica?.host, port: replica?.port, flags: ['slave'] });
  });

  it('sentinels() lists the other sentinels with their flags', async () => {
    const peers = await adminFor(topo).sentinels();
    expect(peers).toHaveLength(2);
    for (const peer of peers) expect(peer.flags).toContain('sentinel');
    const asked = topo.sentinels[0]?.port;
    expect(peers.map((p) => p.port).sort()).toEqual(
      topo.sentinels
        .map((s) => s.port)
        .filter((p) => p !== asked)
        .sort(),
    );
  });

  it('ckquorum() says the quorum is reachable', async () => {
    const check = await adminFor(topo).ckquorum();
    expect(check.ok).toBe(true);
    expect(check.message).toMatch(/3 usable Sentinels/);
  });

  it('masterAddress() names the master, rewritten through natMap when one matches', async () => {
    const master = await topo.master();
    expect(await adminFor(topo).masterAddress()).toEqual({ host: master.host, port: master.port });
    const natMap = { [`${master.host}:${master.port}`]: { host: 'redis.example', port: 16379 } };
    expect(await adminFor(topo, { natMap }).masterAddress()).toEqual({ host: 'redis.example', port: 16379 });
  });

  it('skips a dead sentinel with a sentinelError event and answers from the next', async () => {
    const [dead] = await deadSentinels(1);
    const live = topo.sentinels.map(({ host, port }) => ({ host, port }));
    const admin = adminFor(topo, { sentinels: [dead as NodeAddress, ...live] });
    const errors: NodeAddress[] = [];
    admin.on('sentinelError', (_error: Error, sentinel: NodeAddress) => errors.push(sentinel));
    expect((await admin.master()).flags).toEqual(['master']);
    expect(errors).toEqual([dead]);
    // The sentinel that answered is asked first next time: no second detour through the dead one.
    await admin.replicas();
    expect(errors).toHaveLength(1);
  });

  it('throws AllSentinelsUnreachableError with each sentinel and its cause when none answers', async () => {
    const dead = await deadSentinels(2);
    const admin = adminFor(topo, { sentinels: dead });
    const error = await admin.master().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllSentinelsUnreachableError);
    const summary = error as AllSentinelsUnreachableError;
    expect(summary.code).toBe('ERR_ALL_SENTINELS_UNREACHABLE');
    expect(summary.attempts.map((a) => a.sentinel)).toEqual(dead);
    for (const { port } of dead) expect(summary.message).toContain(`127.0.0.1:${port}`);
    expect(summary.message).toMatch(/ECONNREFUSED/);
    expect(summary.message).toContain('sentinelTimeout');
  });

  it('gives a paused sentinel at most sentinelTimeout before the summary error', async () => {
    const sentinel = topo.sentinels[2];
    if (sentinel === undefined) throw new Error('no sentinel');
    const admin = adminFor(topo, {
      sentinels: [{ host: sentinel.host, port: sentinel.port }],
      sentinelTimeout: 300,
    });
    sentinel.signal('SIGSTOP');
    try {
      const started = Date.now();
      const error = await admin.master().catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(AllSentinelsUnreachableError);
      expect((error as Error).message).toMatch(/timed out after 300 ms/);
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(1500);
    } finally {
      sentinel.signal('SIGCONT');
    }
  });

  it('throws UnknownMasterError listing the sentinels asked for a master nobody monitors', async () => {
    const error = await adminFor(topo, { masterName: 'nosuchmaster' })
      .masterAddress()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownMasterError);
    const unknown = error as UnknownMasterError;
    expect(unknown.code).toBe('ERR_UNKNOWN_MASTER');
    expect(unknown.sentinels).toHaveLength(3);
    expect(unknown.message).toContain('"nosuchmaster"');
    for (const s of topo.sentinels) expect(unknown.message).toContain(`127.0.0.1:${s.port}`);
    await expect(adminFor(topo, { masterName: 'nosuchmaster' }).master()).rejects.toBeInstanceOf(
      UnknownMasterError,
    );
  });

  it('throws AuthenticationError naming sentinelPassword, never the password, on WRONGPASS and NOAUTH', async () => {
    const wrong = await adminFor(topo, { sentinelPassword: 'not-the-password', alias: 'hp' })
      .master()
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AuthenticationError);
    const auth = wrong as AuthenticationError;
    expect(auth).toMatchObject({ code: 'ERR_AUTH', target: 'sentinel', alias: 'hp' });
    expect(auth.message).toContain('sentinelPassword');
    expect(auth.message).toContain('"hp"');
    expect(auth.message).not.toContain('not-the-password');
    expect(auth.message).not.toContain(SENTINEL_PASSWORD);

    const missing = await adminFor(topo, { sentinelPassword: undefined })
      .ckquorum()
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AuthenticationError);
    expect((missing as Error).message).toMatch(/NOAUTH/);
  });

  it('close() ends every socket it opened on the sentinels', async () => {
    const admin = adminFor(topo);
    await admin.master();
    const subscription = await admin.subscribe(() => {});
    expect(subscription.subscribed).toHaveLength(3);
    const iterating = (async () => {
      for await (const _ of admin.events()) {
        // Nothing happens on a healthy topology; the loop must still end when the admin closes.
      }
      return 'ended';
    })();
    // One command client, the subscription and the events() loop's own subscription.
    await pollUntil(async () => (await adminConnections(topo)) === 3, {
      description: 'the admin connections',
    });
    await admin.close();
    expect(await iterating).toBe('ended');
    await pollUntil(async () => (await adminConnections(topo)) === 0, {
      description: 'the admin connections to end',
    });
    await expect(admin.master()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  });
});

describe('SentinelAdmin during a failover', () => {
  let topo: Topology;
  beforeAll(async () => {
    topo = await startTopology({ replicas: 1, sentinels: 3, sentinelPassword: SENTINEL_PASSWORD });
  });
  afterAll(async () => {
    await topo?.stop();
  });

  it('failover() promotes the replica; events() yields the phases and the +switch-master from every sentinel', async () => {
    const oldMaster = await topo.master();
    const [replica] = await topo.replicas();
    const admin = adminFor(topo);
    const abort = new AbortController();
    const seen: SentinelEvent[] = [];
    const collecting = (async () => {
      for await (const event of admin.events({ signal: abort.signal })) {
        seen.push(event);
        if (new Set(seen.filter((e) => e.type === '+switch-master').map((e) => e.sentinel.port)).size === 3) {
          abort.abort();
        }
      }
    })();
    // The subscription opens inside the iterator: wait for it before triggering the failover.
    await pollUntil(
      async () => (await Promise.all([0, 1, 2].map((i) => adminConnections(topo, i)))).every((n) => n >= 1),
      { description: 'the subscription on every sentinel' },
    );

    await admin.failover();
    const again = await admin.failover().catch((e: unknown) => e);
    expect(again).toBeInstanceOf(FailoverRefusedError);
    expect((again as Error).message).toMatch(/INPROG/);

    await collecting;
    const types = seen.map((e) => e.type);
    for (const phase of ['+try-failover', '+selected-slave', '+promoted-slave', '+switch-master']) {
      expect(types).toContain(phase);
    }
    const switched = seen.find((e) => e.type === '+switch-master');
    expect(switched?.masterName).toBe(topo.masterName);
    expect(switched?.switch).toEqual({
      from: { host: oldMaster.host, port: oldMaster.port },
      to: { host: replica?.host, port: replica?.port },
    });
    const selected = seen.find((e) => e.type === '+selected-slave');
    expect(selected?.instance).toMatchObject({ type: 'slave', port: replica?.port });
    expect(await admin.masterAddress()).toEqual({ host: replica?.host, port: replica?.port });
  });
});
