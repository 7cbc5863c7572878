import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector, isSentinelKitError } from '../src/index.js';

const PASSWORD = 'stranded-pw';
const QUEUE_TIMEOUT = 1000;

interface Outcome {
  code: string;
  at: number;
}

/** Records when and how `promise` settles. */
const outcome = (promise: Promise<unknown>): Promise<Outcome> =>
  promise.then(
    () => ({ code: 'ok', at: Date.now() }),
    (error: unknown) => ({
      code: isSentinelKitError(error) ? error.code : String((error as Error)?.message),
      at: Date.now(),
    }),
  );

// No replica: when the master dies nothing can be promoted, so its clients never get a socket to
// resend on, the case in which commands written to the dead socket used to wait for ever.
describe('commands in flight on a socket that died', () => {
  let topo: Topology;
  beforeAll(async () => {
    topo = await startTopology({ replicas: 0, sentinels: 3, password: PASSWORD, sentinelPassword: PASSWORD });
  });
  afterAll(async () => {
    await topo?.stop();
  });

  it('fail with OutcomeUnknownError within queueTimeout of the death; queued ones with NodeUnavailableError', async () => {
    const c = createConnector({
      location: topo.location,
      password: PASSWORD,
      sentinelPassword: PASSWORD,
      alias: 'stranded',
      queueTimeout: QUEUE_TIMEOUT,
    });
    c.on('error', () => {});
    try {
      await c.master().set('stranded:n', '0');
      const master = await topo.master();
      // Paused, the master takes the writes off the socket and answers none of them.
      master.signal('SIGSTOP');
      // Written to the socket at once: the client is ready.
      const inFlight = Array.from({ length: 50 }, () => outcome(c.master().incr('stranded:n')));
      let diedAt = 0;
      c.master().once('close', () => {
        diedAt = Date.now();
      });
      await master.kill();
      await pollUntil(() => diedAt > 0, { description: 'the write socket to die' });
      const queued = Array.from({ length: 20 }, () => outcome(c.master().set('stranded:q', 'v')));

      const written = await Promise.all(inFlight);
      const notSent = await Promise.all(queued);
      expect(new Set(written.map((o) => o.code))).toEqual(new Set(['ERR_OUTCOME_UNKNOWN']));
      expect(new Set(notSent.map((o) => o.code))).toEqual(new Set(['ERR_NODE_UNAVAILABLE']));
      for (const { at } of written) {
        // Not before queueTimeout (a connection back in time would resend them), nor long after.
        expect(at - diedAt).toBeGreaterThanOrEqual(QUEUE_TIMEOUT - 50);
        expect(at - diedAt).toBeLessThan(QUEUE_TIMEOUT * 1.25 + 500);
      }
    } finally {
      await c.close();
    }
  }, 30_000);
});
