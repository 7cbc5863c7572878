// One close() scenario in a process of its own, so the parent can prove what close() promises: every
// command settles at once, and nothing (socket, timer, sentinel walk) keeps the process alive. It
// reports on stdout, one JSON line per step, and must exit by itself; see close-probe.ts.
import { type Connector, createCaches, createConnector, isSentinelKitError } from '../src/index.js';

export type CloseScenario =
  /** close() right after the connector is created: the clients are still resolving the master. */
  | 'connecting'
  /** The parent kills the master (kill -9); close() while the write client reconnects. */
  | 'reconnecting'
  /** A one-server location whose server the parent killed for good; close() while reconnecting. */
  | 'unreachable'
  /** The parent starts a graceful failover; close() while writes are held. */
  | 'held'
  /** The parent starts a graceful failover; close() in the `failover` event, at the switch. */
  | 'switch'
  /** The parent pauses the master (SIGSTOP); close() once a write has gone unanswered for 300 ms. */
  | 'paused'
  /** The parent pauses every sentinel; a new connector's first calls stall; close() after 900–1000 ms. */
  | 'stall'
  /** createCaches(), close() before any call, then calls. */
  | 'before-first-use';

export interface CloseChildConfig {
  scenario: CloseScenario;
  location: string;
  password?: string;
  sentinelPassword?: string;
}

/** What the child reports once close() has returned and every call it made had time to settle. */
export interface CloseReport {
  /** Calls made before close() and still unsettled when it was called. */
  pendingAtClose: number;
  /** Calls (before and after close()) still unsettled 3 s after close(). */
  pending: number;
  /** Milliseconds from close() to the last settlement of a call made before it. */
  settledWithinMs: number;
  /** Milliseconds close() took to return. */
  closeMs: number;
  /** The codes (or error names) the calls that settled after close() got. */
  codesAfterClose: Record<string, number>;
  /** Calls made after close(): how many, and what they got. */
  afterClose: { issued: number; settled: number; codes: Record<string, number> };
  /** process.getActiveResourcesInfo() 200 ms after close(), without the child's own stdio. */
  resources: string[];
}

const config = JSON.parse(process.argv[2] ?? '{}') as CloseChildConfig;
const say = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nameOf = (error: unknown): string =>
  isSentinelKitError(error)
    ? error.code
    : error instanceof Error
      ? `${error.name}: ${error.message}`
      : 'throw';

/** Counts calls and how they settle; after `mark()`, also when and how the later settlements came. */
class Tally {
  issued = 0;
  settled = 0;
  lastAt = 0;
  readonly codes: Record<string, number> = {};
  private markedAt: number | undefined;
  private oldest = new Map<number, number>();
  private next = 0;

  track(call: () => Promise<unknown>): void {
    this.issued++;
    const id = this.next++;
    this.oldest.set(id, performance.now());
    const done = (code: string | undefined) => {
      this.settled++;
      this.oldest.delete(id);
      if (this.markedAt === undefined) return;
      this.lastAt = performance.now();
      if (code !== undefined) this.codes[code] = (this.codes[code] ?? 0) + 1;
    };
    let promise: Promise<unknown>;
    try {
      promise = call();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      () => done('ok'),
      (error: unknown) => done(nameOf(error)),
    );
  }

  /** Milliseconds the oldest unsettled call has waited. */
  get oldestWaitMs(): number {
    const first = this.oldest.values().next();
    return first.done ? 0 : performance.now() - first.value;
  }

  mark(): number {
    this.markedAt = performance.now();
    return this.issued - this.settled;
  }
}

const tally = new Tally();
const after = new Tally();
let pendingAtClose = 0;
process.on('exit', () =>
  say({ exit: true, pending: tally.issued - tally.settled + after.issued - after.settled }),
);

const connect = (): Connector => {
  const c = createConnector({
    location: config.location,
    password: config.password,
    sentinelPassword: config.sentinelPassword,
    alias: 'probe',
    sentinelTimeout: 300,
    socketConnectTimeout: 300,
    masterCheckInterval: 200,
    queueTimeout: 60_000,
  });
  c.on('error', () => {});
  return c;
};

/** About 2,000 calls a second on the master, reads on the replica client, and a sentinel question now and then. */
function workload(c: Connector): () => void {
  let n = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < 8; i++) tally.track(() => c.master().set(`close:${n++ % 50}`, String(n)));
    tally.track(() => c.replica().get('close:1'));
    if (n % 80 === 0 && c.location.kind === 'sentinel') tally.track(() => c.sentinels().master());
  }, 5);
  return () => clearInterval(timer);
}

const until = async (condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
};

// Listened to from the start: unheard, SIGUSR2 would end the process.
const told = new Promise<void>((resolve) => process.once('SIGUSR2', () => resolve()));
/** Waits for the parent's SIGUSR2, keeping the process alive meanwhile. */
const go = async (): Promise<void> => {
  const alive = setInterval(() => {}, 1000);
  await told;
  clearInterval(alive);
};

/** Test-only look at the write hold: whether the connector holds writes now. */
const holding = (c: Connector): boolean =>
  (c as unknown as { writer: { guard: { holding: boolean } } }).writer.guard.holding;

async function reachPhase(c: Connector): Promise<void> {
  switch (config.scenario) {
    case 'connecting':
      return;
    case 'reconnecting':
    case 'unreachable':
      return until(() => c.master().status === 'reconnecting', 'the master client to reconnect');
    case 'held':
      return until(() => holding(c), 'writes to be held');
    case 'switch':
      return new Promise<void>((resolve) => c.once('failover', () => resolve()));
    case 'paused':
      return until(() => tally.oldestWaitMs >= 300, 'a write unanswered for 300 ms');
    case 'stall':
      return sleep(900 + Math.random() * 100);
    case 'before-first-use':
      return;
  }
}

async function beforeFirstUse(): Promise<void> {
  const caches = createCaches({
    default: { location: config.location, options: { password: config.password } },
  });
  say({ started: true });
  const closedAt = performance.now();
  await caches.close();
  const closeMs = performance.now() - closedAt;
  pendingAtClose = tally.mark();
  after.mark();
  const cache = caches.get('default');
  after.track(() => cache.set('close:k', 'v'));
  after.track(() => cache.get('close:k'));
  after.track(async () => caches.connector('default').master().get('close:k'));
  await report(closedAt, closeMs, () => {});
}

async function report(closedAt: number, closeMs: number, stop: () => void): Promise<void> {
  stop();
  const deadline = closedAt + 3000;
  while (tally.settled + after.settled < tally.issued + after.issued && performance.now() < deadline) {
    await sleep(5);
  }
  await sleep(Math.max(0, closedAt + 200 - performance.now()));
  const resources = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap');
  const result: CloseReport = {
    pendingAtClose,
    pending: tally.issued - tally.settled + after.issued - after.settled,
    settledWithinMs: Math.max(0, tally.lastAt - closedAt),
    closeMs,
    codesAfterClose: tally.codes,
    afterClose: { issued: after.issued, settled: after.settled, codes: after.codes },
    resources,
  };
  say({ result });
}

async function main(): Promise<void> {
  if (config.scenario === 'before-first-use') return beforeFirstUse();
  let c: Connector;
  let stop = () => {};
  if (config.scenario === 'stall') {
    say({ started: true });
    await go();
    c = connect();
    stop = workload(c);
  } else {
    c = connect();
    stop = workload(c);
    if (config.scenario !== 'connecting') {
      await until(() => tally.settled > 0 && c.master().status === 'ready', 'the first writes');
      say({ started: true });
      await go();
    } else {
      say({ started: true });
    }
  }
  await reachPhase(c);
  pendingAtClose = tally.mark();
  const closedAt = performance.now();
  await c.close();
  const closeMs = performance.now() - closedAt;
  after.mark();
  for (let i = 0; i < 10; i++) {
    after.track(() => c.master().set('close:after', 'v'));
    after.track(() => c.replica().get('close:after'));
  }
  if (c.location.kind === 'sentinel') after.track(() => c.sentinels().master());
  await report(closedAt, closeMs, stop);
}

main().catch((error: unknown) => {
  say({ failed: String((error as Error)?.stack ?? error) });
  process.exitCode = 1;
});
