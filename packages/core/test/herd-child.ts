// One process of a getOrSet herd: it connects, says "ready" over IPC, and on "go" starts `callers`
// concurrent getOrSet calls (or a loop of them) for one key. The producer counts its runs in Redis
// (so the parent sees every process's runs) and reports when it starts, so the parent can kill a
// holder mid-produce. Run by herd.ts with `node --import tsx`.
import { setTimeout as sleep } from 'node:timers/promises';
import { createCache, type GetOrSetLockOptions } from '../src/index.js';

export interface HerdChildConfig {
  location: string;
  password?: string;
  key: string;
  /** Concurrent callers in this process. */
  callers: number;
  /** Milliseconds the producer works. */
  producerMs: number;
  /** Seconds the value lives. */
  timeout: number;
  lock: boolean | GetOrSetLockOptions;
  refreshAhead?: number;
  /** `loop`: each caller calls again as soon as its call returns, for this many milliseconds. */
  loopMs?: number;
}

/** One call as the caller saw it. */
export interface HerdCall {
  /** Which call of its caller this was: 0 for the first. */
  index: number;
  /** Milliseconds from "go" (or from the call, in a loop) to the value. */
  ms: number;
  /** For a loop's summary: how many calls it stands for (`ms` is the slowest's). */
  count?: number;
  value?: { pid: number; run: number };
  error?: string;
}

export type HerdMessage =
  | { ready: true }
  | { producing: { pid: number; run: number } }
  | { done: HerdCall[] };

const config = JSON.parse(process.argv[2] ?? '{}') as HerdChildConfig;
const send = (message: HerdMessage) => process.send?.(message);

const cache = createCache({
  location: config.location,
  keyPrefix: 'herd',
  timeout: config.timeout,
  options: { password: config.password },
});
const master = cache.client();
const runsKey = `herd-runs:${config.key}`;
const activeKey = `herd-active:${config.key}`;

const producer = async () => {
  const run = await master.incr(runsKey);
  // How many producers run at once, across processes: refresh ahead must keep it at 1.
  const active = await master.incr(activeKey);
  await master.eval(
    "if tonumber(ARGV[1]) > tonumber(redis.call('get', KEYS[1]) or '0') then redis.call('set', KEYS[1], ARGV[1]) end",
    1,
    `${activeKey}:max`,
    active,
  );
  send({ producing: { pid: process.pid, run } });
  try {
    await sleep(config.producerMs);
  } finally {
    await master.decr(activeKey);
  }
  return { pid: process.pid, run };
};

const call = async (index: number): Promise<HerdCall> => {
  const started = performance.now();
  try {
    const value = await cache.getOrSet(config.key, producer, config.timeout, {
      lock: config.lock,
      ...(config.refreshAhead === undefined ? {} : { refreshAhead: config.refreshAhead }),
    });
    return { index, ms: performance.now() - started, value };
  } catch (error) {
    return { index, ms: performance.now() - started, error: String(error) };
  }
};

// A loop makes thousands of calls: its first is reported as it was, the rest as one summary
// (the slowest of them, and how many there were), or each one that failed.
const caller = async (): Promise<HerdCall[]> => {
  const first = await call(0);
  if (config.loopMs === undefined) return [first];
  const calls: HerdCall[] = [first];
  const rest: HerdCall = { index: 1, ms: 0, count: 0 };
  const end = performance.now() + config.loopMs;
  for (let index = 1; performance.now() < end; index++) {
    const next = await call(index);
    if (next.error !== undefined) calls.push(next);
    rest.count = (rest.count ?? 0) + 1;
    if (next.ms > rest.ms) rest.ms = next.ms;
  }
  calls.push(rest);
  return calls;
};

process.on('message', (message: { go?: boolean }) => {
  if (!message.go) return;
  void Promise.all(Array.from({ length: config.callers }, caller)).then(async (results) => {
    send({ done: results.flat() });
    await cache.close();
    process.disconnect?.();
  });
});

// Connected before "ready", so the herd measures getOrSet and not connecting.
await cache.get('warm-up');
send({ ready: true });
