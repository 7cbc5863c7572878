import { randomUUID } from 'node:crypto';
import { type Standalone, startStandalone } from '@sentinel-kit/testkit';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeRedisClientLike, NodeRedisShim } from '../src/node-redis-shim.js';

let server: Standalone;
let ioredis: ReturnType<Standalone['client']>;
let shim: NodeRedisShim;
let nodeRedis: ReturnType<typeof createClient>;

beforeAll(async () => {
  server = await startStandalone({ password: 'shim-secret' });
  ioredis = server.client();
  shim = new NodeRedisShim(ioredis);
  nodeRedis = createClient({ url: server.location });
  nodeRedis.on('error', () => {});
  await nodeRedis.connect();
});

afterAll(async () => {
  await nodeRedis?.close();
  await server?.stop();
});

const key = (name: string) => `shim:${randomUUID()}:${name}`;

async function collect(iterable: AsyncIterable<string[]>): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of iterable) pages.push(page);
  return pages;
}

describe.each([
  ['one pipeline per turn', true],
  ['each command on its own', false],
])('NodeRedisShim against a real redis-server, %s', (_, batch) => {
  let shim: NodeRedisShim;
  beforeAll(() => {
    shim = new NodeRedisShim(ioredis, { batch });
  });

  it('get returns the stored string, or null for a missing key', async () => {
    const k = key('get');
    expect(await shim.get(k)).toBeNull();
    await ioredis.set(k, 'value');
    expect(await shim.get(k)).toBe('value');
  });

  it('set with { expiration: { type: EX } } stores the value with that TTL in seconds', async () => {
    const k = key('ex');
    expect(await shim.set(k, 'v', { expiration: { type: 'EX', value: 120 } })).toBe('OK');
    expect(await ioredis.get(k)).toBe('v');
    const ttl = await ioredis.ttl(k);
    expect(ttl).toBeGreaterThan(115);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('set without options stores a value that never expires', async () => {
    const k = key('plain');
    await shim.set(k, 'v');
    expect(await ioredis.ttl(k)).toBe(-1);
  });

  it('set with PX, EXAT, PXAT and KEEPTTL sends the matching SET arguments', async () => {
    const k = key('px');
    await shim.set(k, 'v', { expiration: { type: 'PX', value: 90_000 } });
    expect(await ioredis.pttl(k)).toBeGreaterThan(85_000);
    const at = Math.floor(Date.now() / 1000) + 300;
    await shim.set(k, 'v2', { expiration: { type: 'EXAT', value: at } });
    expect(await ioredis.call('EXPIRETIME', k)).toBe(at);
    await shim.set(k, 'v3', { expiration: { type: 'PXAT', value: at * 1000 + 500 } });
    expect(await ioredis.call('PEXPIRETIME', k)).toBe(at * 1000 + 500);
    await shim.set(k, 'v4', { expiration: 'KEEPTTL' });
    expect(await ioredis.get(k)).toBe('v4');
    expect(await ioredis.call('PEXPIRETIME', k)).toBe(at * 1000 + 500);
  });

  it('set with condition NX/XX resolves null when the condition kept the write from happening', async () => {
    const k = key('nx');
    expect(await shim.set(k, 'first', { condition: 'XX' })).toBeNull();
    expect(await shim.set(k, 'first', { condition: 'NX' })).toBe('OK');
    expect(await shim.set(k, 'second', { condition: 'NX' })).toBeNull();
    expect(await shim.set(k, 'third', { condition: 'XX' })).toBe('OK');
    expect(await ioredis.get(k)).toBe('third');
  });

  it('expire resets the TTL and answers 1, or 0 for a missing key', async () => {
    const k = key('expire');
    await ioredis.set(k, 'v', 'EX', 10);
    expect(await shim.expire(k, 500)).toBe(1);
    expect(await ioredis.ttl(k)).toBeGreaterThan(490);
    expect(await shim.expire(key('missing'), 500)).toBe(0);
  });

  it('del takes one key or a list and answers how many it removed; an empty list removes nothing', async () => {
    const [a, b] = [key('a'), key('b')];
    await ioredis.mset(a, '1', b, '2');
    expect(await shim.del([a, b, key('missing')])).toBe(2);
    await ioredis.set(a, '1');
    expect(await shim.del(a)).toBe(1);
    expect(await shim.del([])).toBe(0);
  });

  it('mGet answers values in key order with null for missing keys, and [] for no keys', async () => {
    const [a, b] = [key('a'), key('b')];
    await ioredis.mset(a, 'A', b, 'B');
    expect(await shim.mGet([b, key('missing'), a])).toEqual(['B', null, 'A']);
    expect(await shim.mGet([])).toEqual([]);
  });

  it('scanIterator yields arrays of keys matching MATCH, every key exactly once over many pages', async () => {
    const base = key('scan');
    const wanted = Array.from({ length: 250 }, (_, i) => `${base}:${i}`);
    await ioredis.mset(...wanted.flatMap((k) => [k, 'x']));
    await ioredis.set(`other:${base}`, 'x');
    const pages = await collect(shim.scanIterator({ MATCH: `${base}:*`, COUNT: 20 }));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(Array.isArray(page)).toBe(true);
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([...wanted].sort());
  });

  it('has no `masters` property, so connect-redis treats it as a single client, not a cluster', () => {
    expect('masters' in shim).toBe(false);
  });
});

describe('NodeRedisShim answers what node-redis 5 answers', () => {
  const clients = (): [string, NodeRedisClientLike][] => [
    ['shim', shim],
    ['node-redis', nodeRedis as unknown as NodeRedisClientLike],
  ];

  it('for the calls connect-redis 9 makes', async () => {
    const replies: Record<string, unknown[]> = {};
    for (const [name, client] of clients()) {
      const base = key(name);
      const log: unknown[] = [];
      log.push(await client.get(`${base}:s1`));
      log.push(await client.set(`${base}:s1`, '{"a":1}', { expiration: { type: 'EX', value: 60 } }));
      log.push(await client.set(`${base}:s2`, '{"b":2}'));
      log.push(await client.get(`${base}:s1`));
      log.push(await client.expire(`${base}:s1`, 30));
      log.push(await client.expire(`${base}:none`, 30));
      log.push(await client.mGet([`${base}:s1`, `${base}:none`, `${base}:s2`]));
      const scanned = (await collect(client.scanIterator({ MATCH: `${base}:*`, COUNT: 100 }))).flat();
      log.push(scanned.map((k) => k.slice(base.length)).sort());
      log.push(await client.del([`${base}:s1`, `${base}:s2`]));
      log.push(await client.get(`${base}:s1`));
      replies[name] = log;
    }
    expect(replies.shim).toEqual(replies['node-redis']);
    expect(replies.shim?.[7]).toEqual([':s1', ':s2']);
  });
});

describe('NodeRedisShim batching', () => {
  /** The real client, counting the pipelines the shim sends through it. */
  function countingClient() {
    const counts = { pipelines: 0, commandsInPipelines: 0, single: 0 };
    const client = {
      call: (command: string, ...args: (string | number)[]) => {
        counts.single += 1;
        return ioredis.call(command, ...args);
      },
      pipeline: (commands: (string | number)[][]) => {
        counts.pipelines += 1;
        counts.commandsInPipelines += commands.length;
        return ioredis.pipeline(commands);
      },
    };
    return { client, counts };
  }

  it('sends the commands of one event-loop iteration as one pipeline, in order, each caller getting its own reply', async () => {
    const { client, counts } = countingClient();
    const batched = new NodeRedisShim(client);
    const k = key('order');
    const replies = await Promise.all([
      batched.set(k, 'a'),
      batched.get(k),
      batched.set(k, 'b', { expiration: { type: 'EX', value: 60 } }),
      batched.get(k),
      batched.expire(k, 90),
      batched.del(k),
      batched.get(k),
    ]);
    expect(replies).toEqual(['OK', 'a', 'OK', 'b', 1, 1, null]);
    expect(counts).toEqual({ pipelines: 1, commandsInPipelines: 7, single: 0 });
  });

  it('sends a lone command without a pipeline', async () => {
    const { client, counts } = countingClient();
    expect(await new NodeRedisShim(client).get(key('lone'))).toBeNull();
    expect(counts).toEqual({ pipelines: 0, commandsInPipelines: 0, single: 1 });
  });

  it('fails only the caller whose command the server refused', async () => {
    const k = key('wrongtype');
    await ioredis.rpush(k, 'x');
    const batched = new NodeRedisShim(ioredis);
    const [good, bad] = await Promise.allSettled([batched.set(key('ok'), 'v'), batched.get(k)]);
    expect(good).toEqual({ status: 'fulfilled', value: 'OK' });
    expect(bad.status).toBe('rejected');
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
  });

  it('rejects every caller of a batch when the connection is gone', async () => {
    const closed = server.client();
    closed.disconnect();
    const batched = new NodeRedisShim(closed);
    const results = await Promise.allSettled([batched.get('a'), batched.get('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
