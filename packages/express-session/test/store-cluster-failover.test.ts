import { type Caches, createCaches, keySlot } from '@sentinel-kit/core';
import { SentinelSessionStore } from '@sentinel-kit/express-session';
import { type Cluster, pollUntil, startCluster } from '@sentinel-kit/testkit';
import type { SessionData } from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';

const PASSWORD = 'sess-failover';

const session = (n: number): SessionData =>
  ({ cookie: { originalMaxAge: null, httpOnly: true, path: '/' }, n }) as unknown as SessionData;

/** An acknowledged session write: its id, the value written, and when it was acknowledged. */
interface Write {
  sid: string;
  n: number;
  ackedAt: number;
}

/**
 * Steady users of a session store: `users` loops, each making one call every `1000 / perSecond`
 * ms, in turn a `set` of a session no other write uses and a `get` of one acknowledged before,
 * which must come back (a null is a user logged out). `stop()` waits for every call made.
 */
class SessionWorkload {
  readonly acked: Write[] = [];
  readonly failures: string[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private sequence = 0;

  constructor(
    private readonly store: SentinelSessionStore,
    private readonly users = 5,
    private readonly perSecond = 50,
  ) {}

  start(): void {
    for (let u = 0; u < this.users; u += 1)
      this.timers.push(setInterval(() => this.tick(u), 1000 / this.perSecond));
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.pending);
  }

  ackedSince(at: number, shard?: (sid: string) => boolean): number {
    return this.acked.filter((w) => w.ackedAt >= at && (shard === undefined || shard(w.sid))).length;
  }

  /** Milliseconds from `at` to the first write acknowledged after it on `shard`'s slots. */
  firstAckAfter(at: number, shard: (sid: string) => boolean): number | undefined {
    const first = this.acked.find((w) => w.ackedAt >= at && shard(w.sid));
    return first === undefined ? undefined : first.ackedAt - at;
  }

  private tick(user: number): void {
    const n = this.sequence++;
    const done = this.call(user, n).catch((error: Error) => {
      this.failures.push(`${n}: ${error.message}`);
    });
    const tracked = done.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async call(user: number, n: number): Promise<void> {
    if (n % 2 === 0) {
      const sid = `u${user}-${n}`;
      await this.store.set(sid, session(n));
      this.acked.push({ sid, n, ackedAt: Date.now() });
      return;
    }
    const earlier = this.acked[this.acked.length - 1 - (n % 40)];
    if (earlier === undefined) return;
    const found = (await this.store.get(earlier.sid)) as { n?: number } | null;
    if (found?.n !== earlier.n)
      throw new Error(`session ${earlier.sid} read back as ${JSON.stringify(found)}`);
  }
}

describe('SentinelSessionStore on a cluster alias through CLUSTER FAILOVER of every master', () => {
  let cluster: Cluster | undefined;
  let caches: Caches | undefined;
  let workload: SessionWorkload | undefined;

  afterEach(async () => {
    await workload?.stop();
    await caches?.close();
    await cluster?.stop();
  });

  it('no session call fails, no acknowledged session is lost, writes resume on each new master', async () => {
    const topo = await startCluster({
      masters: 3,
      replicasPerMaster: 1,
      password: PASSWORD,
      nodeTimeoutMs: 1000,
    });
    cluster = topo;
    caches = createCaches({
      default: { location: topo.location, keyPrefix: 'fo', options: { password: PASSWORD, logger: {} } },
    });
    const store = new SentinelSessionStore({ caches, logger: { warn: () => {} } });
    const load = new SessionWorkload(store);
    workload = load;
    load.start();
    await pollUntil(() => load.acked.length >= 200, { description: 'the users to be under way' });

    const resumedAfter: (number | undefined)[] = [];
    for (const i of [0, 1, 2]) {
      const promotion = await topo.failover(i);
      const onShard = (sid: string) => topo.shardOf(keySlot(store.keyBase + sid)) === i;
      await pollUntil(() => load.ackedSince(promotion.at, onShard) >= 20, {
        description: `session writes to shard ${i}'s slots after its failover`,
      });
      resumedAfter.push(load.firstAckAfter(promotion.at, onShard));
    }
    const at = Date.now();
    await pollUntil(() => load.ackedSince(at) >= 200, { description: 'writes after the last failover' });
    await load.stop();

    expect(load.failures).toEqual([]);
    const reader = topo.clusterClient();
    const lost: string[] = [];
    for (const write of load.acked) {
      const raw = await reader.get(store.keyBase + write.sid);
      if (raw === null || (JSON.parse(raw) as { n: number }).n !== write.n) lost.push(write.sid);
    }
    expect(lost).toEqual([]);
    // Writes reach each new master within 500 ms of its promotion being seen.
    for (const delay of resumedAfter) expect(delay).toBeLessThan(500);
  });
});
