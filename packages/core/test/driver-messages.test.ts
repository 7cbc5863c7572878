import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { freePorts } from '@sentinel-kit/testkit';
import { Redis, type RedisOptions, ReplyError } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IOREDIS_ERROR_NAME,
  IOREDIS_TEXT,
  isAllSentinelsUnreachable,
  isDriverConnectionFailure,
  isReplyError,
  parseSentinelFailure,
} from '../src/connector/ioredis/driver-messages.js';

/** The JavaScript of the ioredis that core resolves, every file of its `built` folder, as one text. */
function ioredisSource(): string {
  const built = dirname(createRequire(import.meta.url).resolve('ioredis'));
  const files = readdirSync(built, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
  return files.map((file) => readFileSync(join(built, file), 'utf8')).join('\n');
}

const clients: Redis[] = [];
const servers: { server: Server; sockets: Set<Socket> }[] = [];
afterEach(async () => {
  for (const redis of clients.splice(0)) redis.disconnect();
  for (const { server, sockets } of servers.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A client that never retries and never reconnects, closed after the test. */
function client(options: RedisOptions): Redis {
  const redis = new Redis({ lazyConnect: true, retryStrategy: () => null, ...options });
  redis.on('error', () => {});
  clients.push(redis);
  return redis;
}

/** A loopback server that speaks just enough RESP: `answer` to every command, or silence. */
async function fakeServer(answer: string | undefined): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (data) => {
      // One reply per command: each starts a line with a RESP array header.
      const commands = data.toString('latin1').match(/(?:^|\r\n)\*\d+\r\n/g)?.length ?? 0;
      if (answer !== undefined) socket.write(answer.repeat(commands));
    });
  });
  servers.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe('the ioredis texts sentinel-kit reads', () => {
  const source = ioredisSource();

  it.each(Object.entries(IOREDIS_TEXT))('%s is still worded "%s" by the installed ioredis', (_, text) => {
    expect(source).toContain(text);
  });

  it.each(Object.entries(IOREDIS_ERROR_NAME))('the %s error class is still named %s', (_, name) => {
    expect(source.includes(`class ${name}`) || name === new ReplyError('x').name).toBe(true);
  });
});

describe('what ioredis really says, read back', () => {
  it('a sentinel that refuses connections: sentinelError parsed, then "All sentinels are unreachable"', async () => {
    const [port] = (await freePorts(1)) as [number];
    const redis = client({
      sentinels: [{ host: '127.0.0.1', port }],
      name: 'mymaster',
      sentinelRetryStrategy: () => null,
    });
    const events: Error[] = [];
    redis.on('sentinelError', (e: Error) => events.push(e));
    const error = await rejection(redis.connect());
    expect(error !== undefined && isAllSentinelsUnreachable(error)).toBe(true);
    expect(isDriverConnectionFailure(error as Error)).toBe(true);
    const parsed = parseSentinelFailure(events[0] as Error);
    expect(parsed).toMatchObject({ sentinel: { host: '127.0.0.1', port }, noAnswer: false });
    // ioredis keeps only its own "Connection is closed." for a sentinel it could not reach.
    expect(parsed?.cause.message).toContain(IOREDIS_TEXT.connectionClosed);
  });

  it('a sentinel that names no node: parsed as an answer without a node', async () => {
    const port = await fakeServer('$-1\r\n');
    const redis = client({
      sentinels: [{ host: '127.0.0.1', port }],
      name: 'mymaster',
      sentinelRetryStrategy: () => null,
      enableReadyCheck: false,
    });
    const events: Error[] = [];
    redis.on('sentinelError', (e: Error) => events.push(e));
    await rejection(redis.connect());
    const parsed = parseSentinelFailure(events[0] as Error);
    expect(parsed).toMatchObject({ sentinel: { host: '127.0.0.1', port }, noAnswer: true });
  });

  it('a command on a closed client, with the offline queue off, past its retries or its timeout', async () => {
    const [closed] = (await freePorts(1)) as [number];
    const ended = client({ port: closed });
    await rejection(ended.connect());
    const silent = await fakeServer(undefined);
    const failures = await Promise.all([
      rejection(ended.get('k')),
      rejection(client({ port: closed, enableOfflineQueue: false }).get('k')),
      rejection(
        client({ port: closed, lazyConnect: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 }).get(
          'k',
        ),
      ),
      rejection(
        client({ port: silent, lazyConnect: false, enableReadyCheck: false, commandTimeout: 50 }).get('k'),
      ),
    ]);
    expect(failures.map((e) => e?.message.slice(0, 30))).toEqual([
      expect.stringContaining(IOREDIS_TEXT.connectionClosed),
      expect.stringContaining(IOREDIS_TEXT.streamNotWriteable),
      expect.stringContaining('Reached the max retries'),
      expect.stringContaining(IOREDIS_TEXT.commandTimedOut),
    ]);
    expect(failures[2]?.name).toBe(IOREDIS_ERROR_NAME.maxRetries);
    for (const failure of failures) expect(isDriverConnectionFailure(failure as Error)).toBe(true);
  });

  it('tells a server reply from a driver failure by the class ioredis gives it', () => {
    expect(isReplyError(new ReplyError('WRONGTYPE nope'))).toBe(true);
    expect(isReplyError(new Error('Connection is closed.'))).toBe(false);
    expect(isDriverConnectionFailure(new ReplyError('ERR Connection is fine'))).toBe(false);
  });
});
