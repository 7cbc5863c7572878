import { type Caches, createCaches, NodeUnavailableError, type SentinelKitError } from '@sentinel-kit/core';
import { startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';

describe('caches that share a connector', () => {
  let topo: Topology | undefined;
  let caches: Caches | undefined;
  afterEach(async () => {
    await caches?.close();
    await topo?.stop();
  });

  it('name the cache whose call failed, not the one that opened the connector', async () => {
    // down-after long enough that no failover starts while the dead master is waited for.
    topo = await startTopology({ replicas: 1, sentinels: 3, downAfterMs: 30_000 });
    const options = { readFrom: 'master' as const, queueTimeout: 300 };
    caches = createCaches({
      a: { location: topo.location, keyPrefix: 'a', options },
      b: { location: topo.location, keyPrefix: 'b', options },
    });
    const a = caches.get('a');
    const b = caches.get('b');
    expect(caches.connector('b')).toBe(caches.connector('a'));
    expect(caches.connector('b').alias).toBe('a');
    await b.set('warm', 1);

    await topo.killMaster();
    const failures = await Promise.all(
      [b.set('k', 1), a.set('k', 1)].map((call) =>
        call.then(
          () => undefined,
          (error: unknown) => error as SentinelKitError,
        ),
      ),
    );
    const [fromB, fromA] = failures;
    expect(fromB).toBeInstanceOf(NodeUnavailableError);
    expect(fromB).toMatchObject({ code: 'ERR_NODE_UNAVAILABLE', alias: 'b', role: 'master' });
    expect(fromB?.message).toContain('(cache "b")');
    expect(fromB?.message).not.toContain('"a"');
    expect(fromA).toMatchObject({ code: 'ERR_NODE_UNAVAILABLE', alias: 'a' });
    expect(fromA?.message).toContain('(cache "a")');
  });
});
