import { pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Connector, createConnector } from '../src/index.js';

const PASSWORD = 'abort-pw';

let topo: Topology;
let connector: Connector;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, downAfterMs: 1000, password: PASSWORD });
  // A hold that only an abort (or the switch) can end within the test's time.
  connector = createConnector({ location: topo.location, password: PASSWORD, failoverHoldTimeout: 60_000 });
  connector.on('error', () => {});
});

afterAll(async () => {
  await connector?.close();
  await topo?.stop();
});

const seen = (type: string, since: number) =>
  topo.sentinelEvents.some((e) => e.type === type && e.at >= since);

it('a failover that aborts (no good replica) releases the held writes to the master that stayed', async () => {
  await connector.master().set('abort:before', '1');
  const [replica] = await topo.replicas();
  if (replica === undefined) throw new Error('the topology has no replica');
  const started = Date.now();
  await topo.stopNode(replica);
  await pollUntil(() => seen('+sdown', started), { description: 'the replica to be flagged s_down' });

  await topo.pauseMaster();
  await pollUntil(() => seen('+try-failover', started), { description: 'a sentinel to open a failover' });
  const write = connector.master().set('abort:during', '1');
  await pollUntil(() => seen('-failover-abort-no-good-slave', started), {
    description: 'the failover to abort for lack of a good replica',
  });
  await topo.resumeMaster();
  expect(await write).toBe('OK');
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(await topo.client(await topo.master()).get('abort:during')).toBe('1');
}, 60_000);
