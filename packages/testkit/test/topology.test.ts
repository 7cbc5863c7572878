import { afterEach, describe, expect, it } from 'vitest';
import { ask } from '../src/ask.js';
import { pollUntil, serverBinary, startStandalone, startTopology, type Topology } from '../src/index.js';

const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const role = async (topo: Topology, node: Topology['nodes'][number]) => {
  const info = await topo.client(node).info('replication');
  return /role:(\w+)/.exec(info)?.[1];
};

describe('startTopology', () => {
  let topo: Topology | undefined;
  afterEach(async () => {
    await topo?.stop();
    topo = undefined;
  });

  it('starts a linked master, replicas and sentinels that see each other', async () => {
    topo = await startTopology({
      replicas: 2,
      sentinels: 3,
      password: 'data-pw',
      sentinelPassword: 'sentinel-pw',
    });
    expect(topo.location).toMatch(/^mymaster\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\/0$/);
    expect(topo.locationFor(3).endsWith('/3')).toBe(true);
    const [first, ...rest] = topo.nodes;
    expect(await role(topo, first!)).toBe('master');
    for (const replica of rest) expect(await role(topo, replica)).toBe('slave');
    expect((await topo.master()).port).toBe(first!.port);
    const master = topo.client('master');
    await master.set('k', 'v');
    expect(await master.get('k')).toBe('v');
  });

  it('killMaster() SIGKILLs the master and the sentinels promote a replica', async () => {
    topo = await startTopology({ replicas: 1 });
    const switched = topo.waitForSwitch();
    const killed = await topo.killMaster();
    expect(alive(killed.pid)).toBe(false);
    const event = await switched;
    expect(event.port).not.toBe(killed.port);
    const promoted = topo.nodes.find((n) => n.port === event.port)!;
    expect(await role(topo, promoted)).toBe('master');
    expect(topo.sentinelEvents.some((e) => e.type === '+odown')).toBe(true);
  });

  it('pauseMaster() SIGSTOPs the master; after the switch resumeMaster() turns it into a replica', async () => {
    topo = await startTopology({ replicas: 1 });
    const switched = topo.waitForSwitch();
    const paused = await topo.pauseMaster();
    expect(alive(paused.pid)).toBe(true);
    const event = await switched;
    expect(event.port).not.toBe(paused.port);
    await topo.resumeMaster();
    const current = topo;
    await pollUntil(async () => (await role(current, paused)) === 'slave', {
      description: 'the resumed old master to be reconfigured as a replica',
      // Sentinel waits about 8 s of the old master reporting itself master before converting it.
      timeoutMs: 30_000,
    });
  });

  it('failover() makes the sentinels switch gracefully to a replica', async () => {
    topo = await startTopology({ replicas: 1 });
    const before = await topo.master();
    const switched = topo.waitForSwitch();
    await topo.failover();
    const event = await switched;
    expect(event.port).not.toBe(before.port);
    expect((await topo.master()).port).toBe(event.port);
  });

  it('stopNode() and restartNode() stop and bring back a replica on its port', async () => {
    topo = await startTopology({ replicas: 1 });
    const replica = topo.nodes[1]!;
    await topo.stopNode(replica);
    expect(replica.stopped).toBe(true);
    await topo.restartNode(replica);
    expect(alive(replica.pid)).toBe(true);
    expect(await role(topo, replica)).toBe('slave');
  });

  it('waitForSwitch() that times out lists what the sentinels published meanwhile', async () => {
    topo = await startTopology({ replicas: 1 });
    const switched = topo.waitForSwitch({ timeoutMs: 2000 });
    const sentinel = topo.sentinels[0]!;
    // An event that is no reason to switch: the wait times out, and its message names the event.
    await ask(sentinel, 'SENTINEL', 'SET', topo.masterName, 'down-after-milliseconds', 1000);
    await expect(switched).rejects.toThrow(
      /within 2000 ms\. What they published:\n\+\d+ ms sentinel-0 \+set master mymaster \S+ \d+ down-after-milliseconds 1000$/,
    );
  });

  it('tls: true — every node and sentinel speaks TLS alone, with a CA made at start', async () => {
    topo = await startTopology({ replicas: 1, sentinels: 3, password: 'tls-pw', tls: true });
    const hosts = topo.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
    expect(topo.location).toBe(`rediss+sentinel://${hosts}/mymaster/0`);
    expect(topo.locationFor(2)).toBe(`rediss+sentinel://${hosts}/mymaster/2`);
    expect(topo.ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(topo.tls).toEqual({ ca: topo.ca });
    const master = topo.client('master');
    await master.set('k', 'v');
    expect(await master.get('k')).toBe('v');
    // Nothing answers in plain text: `port 0` leaves no plain listener, on data nodes and sentinels.
    for (const node of [...topo.nodes, ...topo.sentinels]) {
      await expect(ask({ host: node.host, port: node.port, password: 'tls-pw' }, 'PING')).rejects.toThrow();
    }
    const switched = topo.waitForSwitch();
    const killed = await topo.killMaster();
    expect((await switched).port).not.toBe(killed.port);
    await topo.restartNode(killed);
    const restarted = topo.client(killed);
    await pollUntil(async () => /role:slave/.test(await restarted.info('replication')), {
      description: 'the restarted old master to be reconfigured as a replica over TLS',
      // Sentinel waits about 10 s of the old master reporting itself master before converting it.
      timeoutMs: 30_000,
    });
  }, 60_000);

  it('stop() kills every process, paused ones included', async () => {
    topo = await startTopology({ replicas: 1 });
    await topo.pauseMaster();
    const pids = [...topo.nodes, ...topo.sentinels].map((n) => n.pid);
    await topo.stop();
    topo = undefined;
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a start-up failure names the missing binary and how to get it', async () => {
    const saved = process.env.REDIS_SERVER_BIN;
    process.env.REDIS_SERVER_BIN = '/nonexistent/redis-server';
    try {
      await expect(startTopology({ replicas: 1 })).rejects.toThrow(/apt-get install -y redis-server/);
    } finally {
      if (saved === undefined) delete process.env.REDIS_SERVER_BIN;
      else process.env.REDIS_SERVER_BIN = saved;
    }
  });
});

describe('startStandalone', () => {
  it('starts one password-protected server and stops it', async () => {
    const server = await startStandalone({ password: 'p@ss word' });
    try {
      expect(server.location).toBe(`redis://:p%40ss%20word@127.0.0.1:${server.port}/0`);
      expect(await server.client().ping()).toBe('PONG');
    } finally {
      await server.stop();
    }
    expect(alive(server.pid)).toBe(false);
  });

  it('runs the binary REDIS_SERVER_BIN names (redis-server by default, or valkey-server)', async () => {
    const binary = serverBinary();
    const server = await startStandalone();
    try {
      const info = await server.client().info('server');
      // Valkey answers redis_version with the Redis version it is compatible with, and its own apart.
      const field = binary.name === 'valkey' ? 'valkey_version' : 'redis_version';
      expect(new RegExp(`${field}:(\\S+)`).exec(info)?.[1]).toBe(binary.version);
    } finally {
      await server.stop();
    }
  });

  it('tls: true — one server on TLS alone, at a rediss:// location', async () => {
    const server = await startStandalone({ tls: true });
    try {
      expect(server.location).toBe(`rediss://127.0.0.1:${server.port}/0`);
      expect(server.tls?.ca).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(await server.client().ping()).toBe('PONG');
      await expect(ask({ host: server.host, port: server.port }, 'PING')).rejects.toThrow();
    } finally {
      await server.stop();
    }
  });
});
