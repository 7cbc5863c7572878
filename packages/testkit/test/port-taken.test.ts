import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Cluster,
  PollAbort,
  pollUntil,
  startCluster,
  startStandalone,
  startTopology,
} from '../src/index.js';
import type * as Ports from '../src/ports.js';

// The port a server is handed is taken by someone else before it binds it: freePorts hands out the
// port this file holds as the last one of its next call.
const taken = vi.hoisted(() => ({ port: 0, onNextCall: false, calls: 0 }));

vi.mock('../src/ports.js', async (importOriginal) => {
  const original = await importOriginal<typeof Ports>();
  return {
    ...original,
    freePorts: async (count: number) => {
      const ports = await original.freePorts(count);
      taken.calls += 1;
      if (taken.onNextCall) {
        taken.onNextCall = false;
        ports[ports.length - 1] = taken.port;
      }
      return ports;
    },
  };
});

// Longer than the test's 30 s limit: a start that waited for its readiness polls to time out on the
// server that exited would fail the test, not retry within it.
const PATIENT = 60_000;

let holder: Server;
let stops: (() => Promise<void>)[] = [];

beforeEach(async () => {
  // It only holds the port: connections to it, the starts' readiness probes among them, are closed at once.
  holder = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const address = holder.address();
  taken.port = typeof address === 'object' && address !== null ? address.port : 0;
  taken.onNextCall = true;
  taken.calls = 0;
});

afterEach(async () => {
  await Promise.all(stops.map((stop) => stop()));
  stops = [];
  await new Promise<void>((resolve) => holder.close(() => resolve()));
});

describe('a port taken before the server binds it', () => {
  it('startCluster: the node that exits fails the start at once, and it starts again on fresh ports', async () => {
    const cluster: Cluster = await startCluster({
      masters: 1,
      replicasPerMaster: 1,
      startTimeoutMs: PATIENT,
    });
    stops.push(() => cluster.stop());
    expect(taken.calls).toBe(2);
    expect(cluster.nodes.map((n) => n.port)).not.toContain(taken.port);
    expect(await cluster.client(await cluster.master(0)).ping()).toBe('PONG');
  });

  it('startTopology: a sentinel that exits fails the start at once, and it starts again on fresh ports', async () => {
    const topology = await startTopology({ replicas: 1, sentinels: 1, quorum: 1, startTimeoutMs: PATIENT });
    stops.push(() => topology.stop());
    expect(taken.calls).toBe(2);
    expect(topology.sentinels.map((s) => s.port)).not.toContain(taken.port);
    expect(await topology.client('master').ping()).toBe('PONG');
  });

  it('startStandalone: the server that exits fails the start at once, and it starts again on a fresh port', async () => {
    const server = await startStandalone({ startTimeoutMs: PATIENT });
    stops.push(() => server.stop());
    expect(taken.calls).toBe(2);
    expect(server.port).not.toBe(taken.port);
    expect(await server.client().ping()).toBe('PONG');
  });
});

describe('PollAbort', () => {
  it('ends a poll at once with the probe’s error, where other errors mean "not yet"', async () => {
    let calls = 0;
    const poll = pollUntil(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        throw new PollAbort('gone for good');
      },
      { description: 'something that is gone', timeoutMs: PATIENT, intervalMs: 1 },
    );
    await expect(poll).rejects.toThrow('gone for good');
    expect(calls).toBe(3);
  });
});
