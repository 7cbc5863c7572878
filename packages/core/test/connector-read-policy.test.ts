import { pollUntil, type RedisNode, startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connector, createConnector, type ReplicasChangedEvent } from '../src/index.js';

const PASSWORD = 'read-policy-pw';

let topo: Topology;
let connector: Connector;
let replicaNode: RedisNode;
const changes: ReplicasChangedEvent[] = [];

const roleOf = async (client: Redis): Promise<string> => String((await client.role())[0]);

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, downAfterMs: 1000, password: PASSWORD });
  connector = createConnector({ location: topo.location, password: PASSWORD, alias: 'reads' });
  connector.on('replicas-changed', (event) => changes.push(event));
  [replicaNode] = (await topo.replicas()) as [RedisNode];
  await connector.master().set('reads:key', 'value');
});

afterAll(async () => {
  await connector?.close();
  await topo?.stop();
});

describe('read policies: fall back when the first choice is down, come back when it returns', () => {
  it('replicaPreferred reads from the replica while it is healthy; masterPreferred from the master', async () => {
    const replica = await pollUntil(
      async () => {
        const client = connector.replica();
        return client !== connector.master() && (await roleOf(client)) === 'slave' ? client : undefined;
      },
      { description: 'replica() to serve from the replica' },
    );
    await pollUntil(async () => (await replica.get('reads:key')) === 'value', {
      description: 'the write to reach the replica',
    });
    expect(connector.replica('masterPreferred')).toBe(connector.master());
  });

  it('with the only replica down, replicaPreferred falls back to the master and replica waits', async () => {
    await topo.stopNode(replicaNode);
    await pollUntil(() => connector.replica() === connector.master(), {
      description: 'replica() to fall back to the master',
    });
    expect(await connector.replica().get('reads:key')).toBe('value');
    await pollUntil(() => changes.some((c) => c.replicas.length === 0), {
      description: 'a replicas-changed event with no usable replica',
    });

    const strict = connector.replica('replica');
    expect(strict).not.toBe(connector.master());
    const waiting = strict.get('reads:key');

    await topo.restartNode(replicaNode);
    expect(await waiting).toBe('value');
    await pollUntil(
      async () => {
        const client = connector.replica();
        return client !== connector.master() && (await roleOf(client)) === 'slave';
      },
      { description: 'replica() to come back to the replica', timeoutMs: 20_000 },
    );
    await pollUntil(() => changes.at(-1)?.replicas.some((r) => r.port === replicaNode.port), {
      description: 'a replicas-changed event naming the returned replica',
      timeoutMs: 20_000,
    });
  }, 60_000);
});
