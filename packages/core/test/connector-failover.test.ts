import { pollUntil } from '@sentinel-kit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { lostWrites, Workload } from './connector-workload.js';
import { clientNames, FailoverScenario, roleOf, sentinelFailover } from './failover-scenario.js';

const scenario = new FailoverScenario();
afterEach(() => scenario.stop());

describe('Connector through failovers (real topology, steady writer)', () => {
  it('kill -9 of the master: nothing lost, nothing failed, ends on the new master', async () => {
    await scenario.survive((t) => t.killMaster());
  }, 60_000);

  it('SENTINEL FAILOVER: the old master acknowledges nothing that is thrown away', async () => {
    await scenario.survive(sentinelFailover);
  }, 60_000);

  it('SIGSTOP of the master: moves on the switch; the resumed old master gets no writes', async () => {
    const { t, old } = await scenario.survive((t) => t.pauseMaster());
    await t.resumeMaster();
    await pollUntil(async () => (await roleOf(t.client(old))) === 'slave', {
      description: 'the resumed old master to be demoted to a replica',
      timeoutMs: 20_000,
    });
    expect(await clientNames(t, old)).not.toContain('sentinel-kit:failover:master');
  }, 60_000);

  it('the old master restarted after a crash is never written to', async () => {
    const { t, old, c } = await scenario.survive((t) => t.killMaster());
    const more = new Workload(() => c.master(), 'failover:after-restart');
    more.start();
    await t.restartNode(old);
    await pollUntil(async () => (await roleOf(t.client(old))) === 'slave', {
      description: 'the restarted old master to be turned into a replica',
      timeoutMs: 30_000,
    });
    await pollUntil(() => more.acked.size >= 200, { description: '200 more writes' });
    await more.stop();
    expect(more.failures).toEqual([]);
    expect(await clientNames(t, old)).not.toContain('sentinel-kit:failover:master');
    expect(await lostWrites(more, t.client(await t.master()))).toEqual([]);
  }, 90_000);
});
