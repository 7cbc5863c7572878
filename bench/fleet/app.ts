// One app of the fleet bench, in its own process: `createCaches` with three aliases on dbs 0/1/2 of
// one topology, each written every FLEET_INTERVAL_MS. The parent asks over IPC for the first
// acknowledgement at or after a moment (the `+switch-master`) and for the writes that failed.
import { createCaches } from '../../packages/core/src/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`fleet app: ${name} is not set`);
  return value;
};

const password = env('FLEET_PASSWORD');
const intervalMs = Number(env('FLEET_INTERVAL_MS'));
const aliases = ['a', 'b', 'c'] as const;
const caches = createCaches({
  a: { location: env('FLEET_LOCATION_0'), options: { password, logger: {} } },
  b: { location: env('FLEET_LOCATION_1'), options: { password, logger: {} } },
  c: { location: env('FLEET_LOCATION_2'), options: { password, logger: {} } },
});

/** Acknowledgement times, ascending; trimmed to what a later report can still ask for. */
let acks: number[] = [];
let failed = 0;
let next = 0;

const timer = setInterval(() => {
  for (const alias of aliases) {
    caches
      .get(alias)
      .set(`fleet:${process.pid}:${alias}`, next++)
      .then(
        () => acks.push(Date.now()),
        () => {
          failed++;
        },
      );
  }
}, intervalMs);

type Request = { type: 'report'; since: number } | { type: 'stop' };

process.on('message', (message: Request) => {
  if (message.type === 'report') {
    const first = acks.find((at) => at >= message.since);
    process.send?.({ type: 'report', firstAck: first ?? null, failed });
    acks = acks.filter((at) => at >= message.since);
    failed = 0;
    return;
  }
  clearInterval(timer);
  void caches.close().then(() => process.exit(0));
});

await Promise.all(aliases.map((alias) => caches.get(alias).set(`fleet:${process.pid}:${alias}`, 'warm')));
process.send?.({ type: 'ready' });
