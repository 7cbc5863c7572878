import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllSentinelsUnreachableError,
  createConnector,
  type NodeAddress,
  SentinelAdmin,
} from '../src/index.js';

const TIMEOUT = 400;

// Three sentinels that accept the connection and never answer: a hung process, or a black hole
// behind a load balancer. Each must cost one sentinelTimeout, connect and answer together.
describe('sentinels that accept and never answer', () => {
  const servers: Server[] = [];
  const held: Socket[] = [];
  let sentinels: NodeAddress[];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      const server = createServer((socket) => held.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    sentinels = servers.map((s) => ({ host: '127.0.0.1', port: (s.address() as { port: number }).port }));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  const expectSummary = (error: unknown) => {
    expect(error).toBeInstanceOf(AllSentinelsUnreachableError);
    const summary = error as AllSentinelsUnreachableError;
    expect(summary.attempts.map((a) => a.cause.message)).toEqual(
      sentinels.map(() => `timed out after ${TIMEOUT} ms`),
    );
  };

  it('the first call of a connector fails after 3 × sentinelTimeout, not twice that', async () => {
    const location = `mymaster/${sentinels.map((s) => `${s.host}:${s.port}`).join(',')}/0`;
    for (const sentinelPassword of [undefined, 'sentinel-pw']) {
      const c = createConnector({ location, sentinelTimeout: TIMEOUT, sentinelPassword, alias: 'hung' });
      c.on('error', () => {});
      try {
        const started = Date.now();
        const error = await c
          .master()
          .get('deadline:k')
          .catch((e: unknown) => e);
        const elapsed = Date.now() - started;
        expectSummary(error);
        expect(elapsed).toBeGreaterThanOrEqual(3 * TIMEOUT - 50);
        expect(elapsed).toBeLessThan(3 * TIMEOUT + 400);
      } finally {
        await c.close();
      }
    }
  });

  it('a SentinelAdmin call fails after 3 × sentinelTimeout', async () => {
    const admin = new SentinelAdmin({ sentinels, masterName: 'mymaster', sentinelTimeout: TIMEOUT });
    try {
      const started = Date.now();
      const error = await admin.master().catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expectSummary(error);
      expect(elapsed).toBeLessThan(3 * TIMEOUT + 300);
    } finally {
      await admin.close();
    }
  });

  it('close() during the walk ends the call with ERR_CLOSED at once and asks no further sentinel', async () => {
    const admin = new SentinelAdmin({ sentinels, masterName: 'mymaster', sentinelTimeout: TIMEOUT });
    const asked = held.length;
    const call = admin.master().catch((e: unknown) => e);
    const closedAt = Date.now();
    await new Promise((resolve) => setImmediate(resolve));
    await admin.close();
    const error = await call;
    expect(error).toMatchObject({ code: 'ERR_CLOSED' });
    expect(Date.now() - closedAt).toBeLessThan(100);
    // The first sentinel was being asked; the call ended there instead of dialling the next one.
    expect(held.length - asked).toBeLessThanOrEqual(1);
  });
});
