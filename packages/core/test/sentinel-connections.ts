import type { Topology } from '@sentinel-kit/testkit';
import { Redis } from 'ioredis';

/**
 * How many connections on sentinel `index` of `topo` sentinel-kit's admin and watch opened (their
 * CLIENT SETNAME is `sentinel-kit-admin`), counted by the sentinel itself with CLIENT LIST.
 */
export async function adminConnections(
  topo: Topology,
  index: number,
  sentinelPassword: string,
): Promise<number> {
  const sentinel = topo.sentinels[index];
  if (sentinel === undefined) throw new Error(`the topology has no sentinel ${index}`);
  const probe = new Redis({
    host: sentinel.host,
    port: sentinel.port,
    password: sentinelPassword,
    lazyConnect: true,
  });
  try {
    const list = String(await probe.call('CLIENT', 'LIST'));
    return list.split('\n').filter((line) => line.includes('name=sentinel-kit-admin')).length;
  } finally {
    probe.disconnect();
  }
}
