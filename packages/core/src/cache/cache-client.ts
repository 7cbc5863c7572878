import type { Cluster, Redis } from 'ioredis';
import { groupBySlot } from '../shared/key-slot.js';

/**
 * The client a cache sends its commands through: one server's `Redis` (sentinel and one-server
 * locations) or a Redis Cluster's `Cluster`, which routes each command by its key's slot. A
 * command of several keys must then keep to one slot, so the cache groups such calls by slot.
 */
export type CacheClient = Redis | Cluster;

/** True when `client` is a Redis Cluster's. */
export const isCluster = (client: CacheClient): client is Cluster => client.isCluster;

/** The replies of `MGET keys` in key order: on a cluster one MGET per slot, sent together. */
export async function mgetAcross(client: CacheClient, keys: string[]): Promise<(Buffer | null)[]> {
  if (!isCluster(client)) return client.mgetBuffer(...keys);
  const groups = groupBySlot(keys, (key) => key);
  if (groups.length === 1) return client.mgetBuffer(...keys);
  const replies: (Buffer | null)[] = new Array(keys.length);
  await Promise.all(
    groups.map(async ({ indexes }) => {
      const values = await client.mgetBuffer(...indexes.map((i) => keys[i] as string));
      indexes.forEach((at, j) => {
        replies[at] = values[j] ?? null;
      });
    }),
  );
  return replies;
}

/** How many of `keys` `DEL` (or `UNLINK`) removed: on a cluster one command per slot, sent together. */
export async function deleteAcross(
  client: CacheClient,
  keys: string[],
  command: 'del' | 'unlink' = 'del',
): Promise<number> {
  if (!isCluster(client)) return client[command](...keys);
  const groups = groupBySlot(keys, (key) => key);
  const counts = await Promise.all(
    groups.map(({ indexes }) => client[command](...indexes.map((i) => keys[i] as string))),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/**
 * The clients to SCAN to see every key: the one server, or every master of a cluster (each holds
 * its own slots). A cluster client that has not loaded its slot map yet loads it first.
 */
export async function scanTargets(client: CacheClient): Promise<CacheClient[]> {
  if (!isCluster(client)) return [client];
  if (client.status !== 'ready') await client.ping();
  return client.nodes('master');
}
