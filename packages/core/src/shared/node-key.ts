import type { NodeAddress } from '../errors.js';

/**
 * `host:port` as ioredis and Redis write a node's address (slot maps, NAT hooks, `CLUSTER NODES`)
 * into its parts. IPv6 hosts are not bracketed there, so the last colon splits.
 */
export function parseNodeKey(key: string): NodeAddress {
  const colon = key.lastIndexOf(':');
  return { host: key.slice(0, colon), port: Number(key.slice(colon + 1)) };
}
