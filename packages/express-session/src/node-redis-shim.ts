import { CommandBatcher, type PipelineClient } from './command-batcher.js';

/**
 * The ioredis methods the shim and the store use. An ioredis `Redis` has them; naming only these
 * keeps ioredis out of this package's dependencies (core owns it).
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
 * It has no `masters` property on purpose: connect-redis takes a client that has one for a cluster.
 */
export class NodeRedisShim implements NodeRedisClientLike {
  private readonly send: (command: string, ...args: (string | number)[]) => Promise<unknown>;

  constructor(
    readonly client: IoredisLike,
    options: NodeRedisShimOptions = {},
  ) {
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
  async del(keys: string | string[]): Promise<number> {
    const list = typeof keys === 'string' ? [keys] : keys;
    if (list.length === 0) return 0;
    return (await this.send('DEL', ...list)) as number;
  }

  async mGet(keys: string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    return (await this.send('MGET', ...keys)) as (string | null)[];
  }

  /** Yields each non-empty SCAN page's keys as one array, as node-redis 5 does (4 yielded single keys). */
  async *scanIterator(options: ScanIteratorOptions = {}): AsyncIterable<string[]> {
    const args: (string | number)[] = [];
    if (options.MATCH !== undefined) args.push('MATCH', options.MATCH);
    if (options.COUNT !== undefined) args.push('COUNT', options.COUNT);
    let cursor = '0';
    do {
      const [next, keys] = (await this.send('SCAN', cursor, ...args)) as [string, string[]];
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}
