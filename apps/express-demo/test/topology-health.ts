import { pollUntil, type RedisNode, type Topology } from '@sentinel-kit/testkit';

type Client = ReturnType<Topology['client']>;

const field = (info: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();

/**
 * Resolves once the master the sentinels name has `replicas` replicas online and in sync, each
 * reporting its link up. Failover tests wait for this between faults, as an operator would: a
 * second fault before the first is healed promotes a replica that may not hold the latest writes.
 */
export async function untilHealthy(topo: Topology, replicas: number, timeoutMs = 45_000): Promise<void> {
  const clients = new Map<RedisNode, Client>();
  const clientOf = (node: RedisNode) => {
    let client = clients.get(node);
    if (client === undefined) {
      client = topo.client(node);
      clients.set(node, client);
    }
    return client;
  };
  try {
    await pollUntil(
      async () => {
        const master = await topo.master();
        const info = await clientOf(master).info('replication');
        if (field(info, 'role') !== 'master') return false;
        const slaves = [...info.matchAll(/^slave\d+:(.*)$/gm)].map((m) => m[1] ?? '');
        if (slaves.filter((s) => s.includes('state=online') && /lag=[01]\b/.test(s)).length < replicas)
          return false;
        for (const node of await topo.replicas()) {
          const own = await clientOf(node).info('replication');
          if (
            field(own, 'master_link_status') !== 'up' ||
            field(own, 'master_port') !== String(master.port)
          ) {
            return false;
          }
        }
        return true;
      },
      { description: `the master to have ${replicas} replicas in sync`, timeoutMs, intervalMs: 100 },
    );
  } finally {
    for (const client of clients.values()) client.disconnect();
  }
}
