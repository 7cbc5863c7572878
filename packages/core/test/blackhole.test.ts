import {
  type Cache,
  type CacheOptions,
  createCache,
  NodeUnavailableError,
  OutcomeUnknownError,
} from '@sentinel-kit/core';
import { type Standalone, startStandalone, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy } from './tcp-proxy.js';

// A partition between the app and its master only: packets dropped, no socket ever closed, and the
// sentinels (which reach the master directly) see nothing wrong. The proxy stands in front of the
// master; for a sentinel location, natMap points the master's announced address at it.
const SOCKET_TIMEOUT = 1000;
const QUEUE_TIMEOUT = 2000;
const PASSWORD = 'blackhole-pw';

let topo: Topology | undefined;
let server: Standalone | undefined;
let proxy: TcpProxy | undefined;
let cache: Cache | undefined;

afterEach(async () => {
  await cache?.close();
  cache = undefined;
  await proxy?.stop();
  proxy = undefined;
  await topo?.stop();
  topo = undefined;
  await server?.stop();
  server = undefined;
});

const quiet: CacheOptions = {
  logger: {},
  socketConnectTimeout: 500,
  queueTimeout: QUEUE_TIMEOUT,
  socketTimeout: SOCKET_TIMEOUT,
};

/** How `promise` settled and how long after `start` (ms). */
async function outcome(promise: Promise<unknown>, start: number): Promise<{ error: unknown; ms: number }> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return { error, ms: Date.now() - start };
}

describe('a black-holed master', () => {
  it('behind the sentinels: the write in flight fails within 1.5 × socketTimeout, queued ones after queueTimeout, and writes resume when it heals', async () => {
    const t = await startTopology({ replicas: 1, sentinels: 1, quorum: 1, password: PASSWORD });
    topo = t;
    const master = await t.master();
    proxy = await TcpProxy.start(master);
    const natMap = { [`${master.host}:${master.port}`]: { host: proxy.host, port: proxy.port } };
    const c = createCache(
      { location: t.location, options: { ...quiet, password: PASSWORD, natMap, readFrom: 'master' } },
      { alias: 'partitioned' },
    );
    cache = c;
    await c.set('k', 'before');
    expect(proxy.connections).toBeGreaterThan(0);

    proxy.setMode('blackhole');
    const start = Date.now();
    const inFlight = await outcome(c.set('k', 'during'), start);
    expect(inFlight.error).toBeInstanceOf(OutcomeUnknownError);
    expect((inFlight.error as OutcomeUnknownError).reason).toBe('silent node');
    expect((inFlight.error as OutcomeUnknownError).message).toMatch(/socketTimeout/);
    expect(inFlight.ms).toBeGreaterThanOrEqual(SOCKET_TIMEOUT);
    expect(inFlight.ms).toBeLessThan(1.5 * SOCKET_TIMEOUT + 300);

    // The reconnection dials the same master (the sentinels still name it) into the same hole.
    const queuedAt = Date.now();
    const queued = await outcome(c.set('k', 'queued'), queuedAt);
    expect(queued.error).toBeInstanceOf(NodeUnavailableError);
    expect(queued.ms).toBeLessThan(1.25 * QUEUE_TIMEOUT + 300);

    proxy.setMode('forward');
    proxy.cut();
    await c.set('k', 'after');
    expect(await c.get('k')).toBe('after');
    expect((await t.master()).port).toBe(master.port);
  }, 60_000);

  it('on a one-server location, the same within the same bounds', async () => {
    server = await startStandalone();
    proxy = await TcpProxy.start(server);
    const c = createCache({ location: `redis://${proxy.host}:${proxy.port}/0`, options: quiet });
    cache = c;
    await c.set('k', 1);
    proxy.setMode('blackhole');
    const start = Date.now();
    const inFlight = await outcome(c.get('k'), start);
    expect(inFlight.error).toMatchObject({ code: 'ERR_OUTCOME_UNKNOWN', reason: 'silent node' });
    expect(inFlight.ms).toBeLessThan(1.5 * SOCKET_TIMEOUT + 300);
    proxy.setMode('forward');
    expect(await c.get('k')).toBe(1);
  });

  it('with socketTimeout 0, a write waits out the hole and succeeds when it heals', async () => {
    server = await startStandalone();
    proxy = await TcpProxy.start(server);
    const c = createCache({
      location: `redis://${proxy.host}:${proxy.port}/0`,
      options: { ...quiet, socketTimeout: 0 },
    });
    cache = c;
    await c.set('k', 1);
    proxy.setMode('blackhole');
    let settled = false;
    const write = c.set('k', 2).finally(() => {
      settled = true;
    });
    const start = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2 * SOCKET_TIMEOUT));
    expect(settled).toBe(false);
    proxy.setMode('forward');
    expect(await write).toBe(true);
    expect(Date.now() - start).toBeGreaterThanOrEqual(2 * SOCKET_TIMEOUT);
    expect(await c.get('k')).toBe(2);
  });
});

describe('blocking commands are not mistaken for a black hole', () => {
  it('BLPOP and WAIT longer than socketTimeout through client() return as Redis answers them, on the same socket', async () => {
    server = await startStandalone();
    proxy = await TcpProxy.start(server);
    const c = createCache({ location: `redis://${proxy.host}:${proxy.port}/0`, options: quiet });
    cache = c;
    const client = c.client();
    await c.set('warm', 1);
    const errors: unknown[] = [];
    client.on('error', (error) => errors.push(error));
    const connections = proxy.connections;

    const start = Date.now();
    const popped = client.blpop('nothing-here', 2.5);
    // Behind the BLPOP on the same connection: Redis answers it only after the BLPOP returns.
    const behind = client.get(c.makeKey('warm'));
    expect(await popped).toBeNull();
    expect(await behind).toBe('1');
    expect(Date.now() - start).toBeGreaterThanOrEqual(2500);

    // WAIT for a replica that does not exist: returns 0 replicas after its timeout.
    expect(await client.call('WAIT', '1', '2500')).toBe(0);
    expect(errors).toEqual([]);
    expect(proxy.connections).toBe(connections);
  });
});
