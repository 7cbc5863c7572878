import { pollUntil, type Standalone, startStandalone } from '@sentinel-kit/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FailoverGuard } from '../src/connector/failover-guard.js';

// A private unit, tested on its own against a real server: what the hold does to a real ioredis client.
let server: Standalone;
const clients: Redis[] = [];

const client = (): Redis => {
  const redis = new Redis({ host: server.host, port: server.port, password: 'guard-pw' });
  clients.push(redis);
  return redis;
};

beforeAll(async () => {
  server = await startStandalone({ password: 'guard-pw' });
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server?.stop();
});

it('holds commands while a failover is open and sends them, in order, on release', async () => {
  const guarded = client();
  const observer = client();
  await guarded.ping();
  const guard = new FailoverGuard(
    guarded,
    60_000,
    (e) => e,
    () => {},
  );
  guard.hold();
  expect(guard.holding).toBe(true);
  const writes = [
    guarded.rpush('guard:list', 'a'),
    guarded.rpush('guard:list', 'b'),
    guarded.rpush('guard:list', 'c'),
  ];
  // The writes left nothing on the server while held: a PING from another client overtakes them.
  await observer.ping();
  expect(await observer.llen('guard:list')).toBe(0);
  guard.release();
  expect(await Promise.all(writes)).toEqual([1, 2, 3]);
  expect(await observer.lrange('guard:list', 0, -1)).toEqual(['a', 'b', 'c']);
  expect(guard.holding).toBe(false);
});

it('lets held commands go after the hold timeout', async () => {
  const guarded = client();
  await guarded.ping();
  let timedOut = false;
  const guard = new FailoverGuard(
    guarded,
    200,
    (e) => e,
    () => {
      timedOut = true;
    },
  );
  guard.hold();
  const started = Date.now();
  expect(await guarded.incr('guard:counter')).toBe(1);
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(timedOut).toBe(true);
});

it('passes rejections through the translation once, however often ioredis resends', async () => {
  const guarded = client();
  await guarded.ping();
  new FailoverGuard(
    guarded,
    1000,
    (e) => new Error(`translated: ${e.message}`),
    () => {},
  );
  await guarded.set('guard:string', 'x');
  await expect(guarded.lpush('guard:string', 'y')).rejects.toThrow(/^translated: WRONGTYPE/);
});

it('does not hold the handshake, so a reconnect during a hold still completes', async () => {
  const guarded = client();
  await guarded.ping();
  const guard = new FailoverGuard(
    guarded,
    60_000,
    (e) => e,
    () => {},
  );
  guard.hold();
  guarded.disconnect(true);
  await pollUntil(() => guarded.status === 'ready', {
    description: 'the reconnect to finish during the hold',
  });
  const write = guarded.set('guard:after-reconnect', '1');
  guard.release();
  expect(await write).toBe('OK');
});

it('awaitAcknowledgement calls back once, at the reply to the first command sent (held ones included)', async () => {
  const guarded = client();
  await guarded.ping();
  const guard = new FailoverGuard(
    guarded,
    60_000,
    (e) => e,
    () => {},
  );
  guard.hold();
  const held = guarded.set('guard:ack', '1');
  const acknowledged: string[] = [];
  guard.awaitAcknowledgement(() => acknowledged.push('ack'));
  expect(acknowledged).toEqual([]);
  guard.release();
  await held;
  expect(acknowledged).toEqual(['ack']);
  await guarded.get('guard:ack');
  expect(acknowledged).toEqual(['ack']);
});
