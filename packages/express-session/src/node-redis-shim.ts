import { groupBySlot } from '@sentinel-kit/core';
import { CommandBatcher, type PipelineClient } from './command-batcher.js';

/**
 * The ioredis methods the shim and the store use. An ioredis `Redis` or `Cluster` has them; naming
 * only these keeps ioredis out of this package's dependencies (core owns it).
 */
export type IoredisLike = PipelineClient;

/** Options of {@link NodeRedisShim}. */
export interface NodeRedisShimOptions {
  /**
   * Send the commands of one event-loop iteration as one pipeline (see `CommandBatcher`); off sends
   * each command on its own. Default: true.
   */
  batch?: boolean;
}

/** The expiration part of node-redis 5's `SET` options, as connect-redis 9 passes it. */
export type SetExpiration =
  | { type: 'EX' | 'PX' | 'EXAT' | 'PXAT'; value: number }
  | { type: 'KEEPTTL' }
  | 'KEEPTTL';

/** The `SET` options of node-redis 5 that a session store can need. */
export interface SetOptions {
  /** When the key expires; none = never. */
  expiration?: SetExpiration;
  /** Write only if the key is missing (`NX`) or present (`XX`); none = always. */
  condition?: 'NX' | 'XX';
}

/** `scanIterator` options of node-redis 5. */
export interface ScanIteratorOptions {
  /** Glob pattern of the keys to yield; none = every key. */
  MATCH?: string;
  /** Hint of how many keys one SCAN call looks at; none = the server's default (10). */
  COUNT?: number;
}

/**
 * The node-redis 5 client methods connect-redis 9 calls, with node-redis's reply shapes. Anything
 * that has them (a real node-redis client, or {@link NodeRedisShim}) can feed a `RedisStore`.
 */
export interface NodeRedisClientLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: SetOptions): Promise<string | null>;
  expire(key: string, seconds: number): Promise<number>;
  del(keys: string | string[]): Promise<number>;
  mGet(keys: string[]): Promise<(string | null)[]>;
  scanIterator(options?: ScanIteratorOptions): AsyncIterable<string[]>;
}

function expirationArgs(expiration: SetExpiration): (string | number)[] {
  if (expiration === 'KEEPTTL' || expiration.type === 'KEEPTTL') return ['KEEPTTL'];
  return [expiration.type, expiration.value];
}

/**
 * Gives an ioredis client the node-redis 5 method names and reply shapes that connect-redis 9
 * calls (connect-redis 9 dropped ioredis support; 10 needs Node 22). It only translates: every
 * call goes to the wrapped client (an event-loop iteration's calls as one pipeline), so that
 * client's failover handling applies unchanged.
 *
 * On a Redis Cluster's client, a command of several keys (`del`, `mGet`, `unlink`) goes out once per
 * slot, since a cluster refuses one whose keys live in different slots (`CROSSSLOT`), and
 * `scanIterator` SCANs every master, each of which holds its own slots.
 * It has no `masters` property on purpose: connect-redis takes a client that has one for a
 * node-redis cluster, whose per-node clients this shim does not imitate.
 */
export class NodeRedisShim implements NodeRedisClientLike {
  private readonly send: (command: string, ...args: (string | number)[]) => Promise<unknown>;
  private readonly cluster: boolean;

  constructor(
    readonly client: IoredisLike,
    options: NodeRedisShimOptions = {},
  ) {
    this.cluster = client.isCluster === true;
    const batcher = options.batch === false ? undefined : new CommandBatcher(client);
    this.send = batcher
      ? (command, ...args) => batcher.send(command, ...args)
      : (command, ...args) => client.call(command, ...args);
  }

  async get(key: string): Promise<string | null> {
    return (await this.send('GET', key)) as string | null;
  }

  /** Resolves `'OK'`, or `null` when a `condition` kept the write from happening (as node-redis). */
  async set(key: string, value: string, options: SetOptions = {}): Promise<string | null> {
    const args: (string | number)[] = [key, value];
    if (options.expiration !== undefined) args.push(...expirationArgs(options.expiration));
    if (options.condition !== undefined) args.push(options.condition);
    return (await this.send('SET', ...args)) as string | null;
  }

  async expire(key: string, seconds: number): Promise<number> {
    return (await this.send('EXPIRE', key, seconds)) as number;
  }

  /** Takes one key or a list, as node-redis does; an empty list deletes nothing without a round trip. */
  del(keys: string | string[]): Promise<number> {
    return this.deleteKeys('DEL', typeof keys === 'string' ? [keys] : keys);
  }

  /** `UNLINK` (not part of node-redis's surface connect-redis uses): deletes without blocking the server. */
  unlink(keys: string[]): Promise<number> {
    return this.deleteKeys('UNLINK', keys);
  }

  async mGet(keys: string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    const replies: (string | null)[] = new Array(keys.length);
    await Promise.all(
      this.slotGroups(keys).map(async (indexes) => {
        const values = (await this.send('MGET', ...indexes.map((i) => keys[i] as string))) as (
          | string
          | null
        )[];
        indexes.forEach((at, j) => {
          replies[at] = values[j] ?? null;
        });
      }),
    );
    return replies;
  }

  /** Yields each non-empty SCAN page's keys as one array, as node-redis 5 does (4 yielded single keys). */
  async *scanIterator(options: ScanIteratorOptions = {}): AsyncIterable<string[]> {
    const args: (string | number)[] = [];
    if (options.MATCH !== undefined) args.push('MATCH', options.MATCH);
    if (options.COUNT !== undefined) args.push('COUNT', options.COUNT);
    if (!this.cluster) {
      yield* scanPages((cursor) => this.send('SCAN', cursor, ...args));
      return;
    }
    for (const master of await this.masterClients())
      yield* scanPages((cursor) => master.call('SCAN', cursor, ...args));
  }

  /** An empty list deletes nothing without a round trip. */
  private async deleteKeys(command: 'DEL' | 'UNLINK', keys: string[]): Promise<number> {
    if (keys.length === 0) return 0;
    const counts = await Promise.all(
      this.slotGroups(keys).map((indexes) => this.send(command, ...indexes.map((i) => keys[i] as string))),
    );
    return counts.reduce<number>((sum, n) => sum + Number(n), 0);
  }

  /** The indexes of `keys` per command: one group on a single server, one per slot on a cluster. */
  private slotGroups(keys: string[]): number[][] {
    if (!this.cluster) return [keys.map((_, i) => i)];
    return groupBySlot(keys, (key) => key).map(({ indexes }) => indexes);
  }

  /** Every master of the cluster, once its client has loaded the slot map (before, it knows none). */
  private async masterClients(): Promise<PipelineClient[]> {
    const { client } = this;
    if (client.status !== 'ready') await client.ping?.();
    return client.nodes?.('master') ?? [];
  }
}

/** The non-empty pages of one SCAN from cursor 0 back to 0. */
async function* scanPages(scan: (cursor: string) => Promise<unknown>): AsyncIterable<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = (await scan(cursor)) as [string, string[]];
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}
