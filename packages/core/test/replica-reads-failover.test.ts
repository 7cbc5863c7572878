import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Cache, createCache } from '../src/index.js';

const PASSWORD = 'replica-reads-pw';
const READERS = 8;
/**
 * Milliseconds a read issued before the switch may still be waiting after it. Reads the replica
 * client had queued once waited about 10 s, for the old master to come back as a replica; a read
 * answered by the new master, even on a loaded machine, is well inside this.
 */
const LATE_MS = 2000;

let topo: Topology | undefined;
let cache: Cache | undefined;

afterEach(async () => {
  await cache?.close();
  cache = undefined;
  await topo?.stop();
  topo = undefined;
});

type Kind = 'SENTINEL FAILOVER' | 'kill -9' | 'SIGSTOP';

// With one replica, a failover leaves no replica at all until the old master returns as one:
// replicaPreferred reads must move to the new master, not wait for a replica.
describe('replicaPreferred reads through a failover of a one-replica topology', () => {
  it.each<Kind>(['SENTINEL FAILOVER', 'kill -9', 'SIGSTOP'])(
    '%s: every read is answered, none waits past the switch',
    async (kind) => {
      const t = await startTopology({ replicas: 1, sentinels: 3, password: PASSWORD });
      topo = t;
      const c = createCache(
        { location: t.location, options: { password: PASSWORD, readFrom: 'replicaPreferred' } },
        { alias: 'reads' },
      );
      cache = c;
      await c.set('k', 'v');
      let stop = false;
      let answered = 0;
      const failed: unknown[] = [];
      const wrong: unknown[] = [];
      const reads: { start: number; end: number }[] = [];
      const loops = Array.from({ length: READERS }, async () => {
        while (!stop) {
          const start = Date.now();
          try {
            const value = await c.get('k');
            if (value === 'v') answered++;
            else wrong.push(value);
          } catch (error) {
            failed.push(error);
          }
          reads.push({ start, end: Date.now() });
        }
      });
      await pollUntil(() => answered > 1000, { description: '1000 reads answered' });
      const switched = t.waitForSwitch();
      if (kind === 'kill -9') await t.killMaster();
      else if (kind === 'SIGSTOP') await t.pauseMaster();
      else await t.failover();
      const sw = await switched;
      const atSwitch = answered;
      await pollUntil(() => answered > atSwitch + 1000, {
        description: '1000 reads answered after the switch',
        timeoutMs: 30_000,
      });
      stop = true;
      await Promise.all(loops);
      await t.resumeMaster();

      expect(failed).toEqual([]);
      expect(wrong).toEqual([]);
      const late = Math.max(...reads.filter((r) => r.start < sw.at).map((r) => r.end - sw.at));
      expect(
        late,
        'the last read issued before the switch, answered this many ms after it',
      ).toBeLessThanOrEqual(LATE_MS);
    },
    90_000,
  );
});
