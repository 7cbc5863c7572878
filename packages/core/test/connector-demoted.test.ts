import { startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Connector, createConnector, MasterDemotedError } from '../src/index.js';

const PASSWORD = 'demoted-pw';

let topo: Topology;
let connector: Connector;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, downAfterMs: 1000, password: PASSWORD });
  connector = createConnector({
    location: topo.location,
    password: PASSWORD,
    alias: 'demoted',
    failoverHoldTimeout: 500,
  });
});

afterAll(async () => {
  await connector?.close();
  await topo?.stop();
});

it('a master demoted behind the sentinels’ back fails queued writes with MasterDemotedError', async () => {
  await connector.master().set('demoted:before', '1');
  const master = await topo.master();
  const [replica] = await topo.replicas();
  if (replica === undefined) throw new Error('the topology has no replica');
  // Both data nodes are now replicas; the sentinels still name the old master.
  await topo.client(master).replicaof(replica.host, String(replica.port));
  const started = Date.now();
  const error = await connector
    .master()
    .set('demoted:after', '1')
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MasterDemotedError);
  expect(error).toMatchObject({ code: 'ERR_MASTER_DEMOTED', alias: 'demoted', masterName: topo.masterName });
  expect((error as MasterDemotedError).node?.port).toBe(master.port);
  expect(Date.now() - started).toBeLessThan(5_000);
});
