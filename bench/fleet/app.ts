// One app of the fleet bench, in its own process: `createCaches` with three aliases on dbs 0/1/2 of
// one topology, each written every FLEET_INTERVAL_MS, every write a key of its own so a lost one
// can be found. The parent asks over IPC for the first acknowledgement at or after a moment (the
// `+switch-master`), the writes that failed, and how many acknowledged writes the topology lacks.
import { createCaches } from '../../packages/core/src/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`fleet app: ${name} is not set`);
  return value;
};

const password = env('FLEET_PASSWORD');
const intervalMs = Number(env('FLEET_INTERVAL_MS'));
const aliases = ['a', 'b', 'c'] as const;
type Alias = (typeof aliases)[number];
const caches = createCaches({
  a: { location: env('FLEET_LOCATION_0'), options: { password, logger: {} } },
  b: { location: env('FLEET_LOCATION_1'), options: { password, logger: {} } },
  c: { location: env('FLEET_LOCATION_2'), options: { password, logger: {} } },
});
/** Seconds: long enough to outlive the whole run, short enough to leave nothing behind. */
const KEY_TIMEOUT_S = 3600;
const VERIFY_CHUNK = 500;

/** Acknowledgement times, ascending; trimmed to what a later report can still ask for. */
let acks: number[] = [];
/** Acknowledged keys not verified yet, with when they were acknowledged. */
let unverified: { alias: Alias; key: string; at: number }[] = [];
let failed = 0;
let next = 0;

const timer = setInterval(() => {
  for (const alias of aliases) {
    const key = `fleet:${process.pid}:${alias}:${next++}`;
    caches
      .get(alias)
      .set(key, 1, KEY_TIMEOUT_S)
      .then(
        () => {
          const at = Date.now();
          acks.push(at);
          unverified.push({ alias, key, at });
        },
        () => {
          failed++;
        },
      );
  }
}, intervalMs);

/** How many keys acknowledged before `until` the topology does not hold; those are then forgotten. */
async function lostBefore(until: number): Promise<number> {
  const due = unverified.filter((w) => w.at < until);
  unverified = unverified.filter((w) => w.at >= until);
  let lost = 0;
  for (const alias of aliases) {
    const keys = due.filter((w) => w.alias === alias).map((w) => w.key);
    for (let i = 0; i < keys.length; i += VERIFY_CHUNK) {
      const chunk = keys.slice(i, i + VERIFY_CHUNK);
      const found = await caches.get(alias).getMany(chunk);
      lost += chunk.length - Object.keys(found).length;
    }
  }
  return lost;
}

type Request = { type: 'report'; since: number } | { type: 'verify'; until: number } | { type: 'stop' };

process.on('message', (message: Request) => {
  if (message.type === 'report') {
    const first = acks.find((at) => at >= message.since);
    process.send?.({ type: 'report', firstAck: first ?? null, failed });
    acks = acks.filter((at) => at >= message.since);
    failed = 0;
    return;
  }
  if (message.type === 'verify') {
    void lostBefore(message.until).then(
      (lost) => process.send?.({ type: 'verified', lost }),
      (error: unknown) => process.send?.({ type: 'verified', lost: -1, error: String(error) }),
    );
    return;
  }
  clearInterval(timer);
  void caches.close().then(() => process.exit(0));
});

/** Milliseconds an app keeps trying its first writes, as an app at boot would, before it gives up. */
const WARM_UP_MS = 60_000;
const warmUntil = Date.now() + WARM_UP_MS;
for (;;) {
  try {
    await Promise.all(aliases.map((alias) => caches.get(alias).set(`fleet:${process.pid}:${alias}`, 'warm')));
    break;
  } catch (error) {
    if (Date.now() > warmUntil) throw error;
  }
}
process.send?.({ type: 'ready' });
