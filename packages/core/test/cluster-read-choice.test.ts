import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { scaleReadsFor } from '../src/connector/cluster-options.js';

/** A stand-in for one ioredis node connection: the read choice looks only at its status and port. */
const node = (port: number, status = 'ready') =>
  ({ status, options: { host: '127.0.0.1', port } }) as unknown as Redis;

const choose = (
  readFrom: 'replica' | 'replicaPreferred' | 'masterPreferred',
  nodes: Redis[],
  rejoining: number[] = [],
) => {
  const scale = scaleReadsFor(readFrom, (n) => rejoining.includes(n.options.port as number));
  if (typeof scale !== 'function') throw new Error(`expected a function for ${readFrom}, got ${scale}`);
  return scale(nodes, undefined as never);
};

describe('a cluster read picks its node per slot', () => {
  const master = node(7000);
  const replica = node(7001);
  const oldMaster = node(7002);

  it('replicaPreferred and replica skip an old master still catching up', () => {
    expect(choose('replicaPreferred', [master, replica, oldMaster], [7002])).toEqual([replica]);
    expect(choose('replica', [master, replica, oldMaster], [7002])).toEqual([replica]);
  });

  it('with only a rejoining replica listed, reads go to the master', () => {
    expect(choose('replicaPreferred', [master, oldMaster], [7002])).toBe(master);
    expect(choose('replica', [master, oldMaster], [7002])).toBe(master);
    expect(choose('masterPreferred', [node(7000, 'reconnecting'), oldMaster], [7002])).toEqual(
      expect.objectContaining({ status: 'reconnecting' }),
    );
  });

  it('once caught up, the replica serves reads again', () => {
    expect(choose('replicaPreferred', [master, oldMaster])).toEqual([oldMaster]);
    expect(choose('masterPreferred', [node(7000, 'reconnecting'), oldMaster])).toEqual([oldMaster]);
  });
});
