import { type Cluster, Command, type Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { scaleReadsFor, waitsForReplica } from '../src/connector/cluster-options.js';
import { keySlot } from '../src/shared/key-slot.js';

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
    expect(choose('masterPreferred', [node(7000, 'reconnecting'), oldMaster], [7002])).toEqual(
      expect.objectContaining({ status: 'reconnecting' }),
    );
  });

  it('once caught up, the replica serves reads again', () => {
    expect(choose('replicaPreferred', [master, oldMaster])).toEqual([oldMaster]);
    expect(choose('masterPreferred', [node(7000, 'reconnecting'), oldMaster])).toEqual([oldMaster]);
  });
});

describe("readFrom 'replica' holds a read whose slot no replica can serve", () => {
  const slots: string[][] = [];
  slots[keySlot('served')] = ['127.0.0.1:7000', '127.0.0.1:7001'];
  slots[keySlot('bare')] = ['127.0.0.1:7000'];
  slots[keySlot('catching-up')] = ['127.0.0.1:7000', '127.0.0.1:7002'];
  const waits = waitsForReplica({ slots } as unknown as Cluster, (_host, port) => port === 7002);
  const command = (name: string, ...args: string[]) => new Command(name, args);

  it('holds a read of a slot without a replica, or with only one still catching up', () => {
    expect(waits(command('get', 'bare'))).toBe(true);
    expect(waits(command('get', 'catching-up'))).toBe(true);
    expect(waits(command('mget', 'bare'))).toBe(true);
  });

  it('sends a read of a slot with a replica', () => {
    expect(waits(command('get', 'served'))).toBe(false);
  });

  it('never holds a write, a command without keys, or a slot not mapped yet', () => {
    expect(waits(command('set', 'bare', 'v'))).toBe(false);
    expect(waits(command('dbsize'))).toBe(false);
    expect(waits(command('get', 'unmapped'))).toBe(false);
  });
});
