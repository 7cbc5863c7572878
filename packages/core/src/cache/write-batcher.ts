import { createHash } from 'node:crypto';
import { isReplyError } from '../connector/ioredis/driver-messages.js';
import { groupBySlot } from '../shared/key-slot.js';
import { type BatchEntry, TickBatcher } from '../shared/tick-batcher.js';
import { type CacheClient, isCluster } from './cache-client.js';

/**
 * `SET`'s condition: none, or only when present (`XX`). Only-when-missing is `add`, which needs a
 * record per call and is sent on its own (`add-once.ts`).
 */
export type SetMode = 'always' | 'xx';

/** One `SET` a caller asked for. */
export interface SetRequest {
  key: string;
  value: string | Buffer;
  /** Milliseconds to live, or `null` for no expiry. */
  ms: number | null;
  mode: SetMode;
}

const MODE = { always: '0', xx: '1' } as const;

/**
 * Sets N keys, each with its own expiry and condition, in one command. ARGV holds either one
 * (mode, milliseconds) pair for every key followed by the N values — the usual batch, where every
 * write has the cache's default timeout — or a (mode, milliseconds, value) triple per key
 * (milliseconds 0 = no expiry); the count of ARGV tells them apart (N + 2 against 3N, the same only
 * for one key, which never comes here). Returns 1 per key stored, 0 per key a condition kept out —
 * or, for shared plain `SET`s with an expiry, which always store, just N. Redis runs a script as one
 * unit and replicates its effects as one, so a batch is applied whole or not at all, in the
 * callers' order. One branch per (expiry, condition) rather than an argument table built and
 * unpacked per key: the table cost the master about a microsecond per key (bench/nest's server CPU
 * per set went from ~3.7 to ~2.5 µs); the shared pair saves two arguments per key on both sides.
 */
const SET_MANY = `local call = redis.call
local n = #KEYS
local shared = #ARGV == n + 2
if shared and ARGV[1] == '0' and ARGV[2] ~= '0' then
  local ms = ARGV[2]
  for i = 1, n do call('set', KEYS[i], ARGV[i + 2], 'px', ms) end
  return n
end
local out = {}
for i = 1, n do
  local mode, ms, value
  if shared then mode, ms, value = ARGV[1], ARGV[2], ARGV[i + 2]
  else
    local at = 3 * i
    mode, ms, value = ARGV[at - 2], ARGV[at - 1], ARGV[at]
  end
  local reply
  if ms == '0' then
    if mode == '0' then reply = call('set', KEYS[i], value)
    else reply = call('set', KEYS[i], value, 'xx') end
  elseif mode == '0' then reply = call('set', KEYS[i], value, 'px', ms)
  else reply = call('set', KEYS[i], value, 'px', ms, 'xx') end
  out[i] = reply and 1 or 0
end
return out`;
const SET_MANY_SHA = createHash('sha1').update(SET_MANY).digest('hex');

/** Keys in one script call at most. */
const MAX_BATCH = 512;
/**
 * Batches on their way while the master is ready, beyond which new writes gather for the next
 * batch: the writes that arrive while the master is busy go out together, and the pipeline never
 * runs dry. While the client is not ready, batches go out at once into its offline queue, so each
 * is bounded by `queueTimeout` on its own.
 */
const MAX_IN_FLIGHT = 4;
/**
 * Writes waiting, with nothing on its way, from which they go out as two scripts rather than one:
 * the master runs the first half while the second is still on the wire and the client handles the
 * first's replies while the master runs the second, so the two sides work at once instead of in
 * turn. From then on the halves' round trips stay staggered. Below this, a second command costs
 * more than the overlap gains. Three pieces and splitting again while one batch was on its way were
 * measured too: both slower than two halves (bench/cache).
 */
const SPLIT_FROM = 16;

/**
 * Sends the `SET`s that callers issue in one turn of the event loop — and, while earlier batches are
 * still on their way, every `SET` issued until one returns — as one command. ioredis spends a fixed
 * amount of CPU per command object (the bench's client CPU column), so one script call for many
 * writes costs about what one `SET` does; a lone write stays a plain `SET`. Many writes gathered with
 * none on their way go out as two halves, so the master never waits for a whole batch to cross the
 * wire before it starts (`SPLIT_FROM`); the halves go out in order, so the writes to one key still
 * reach Redis in the order they were issued. Each caller gets its own result, or its batch's error.
 * The script goes out through the same client as any write, so the failover hold and READONLY
 * handling treat a batch exactly as one write.
 */
export class WriteBatcher {
  private readonly batcher: TickBatcher<SetRequest, boolean>;
  private waiting: BatchEntry<SetRequest, boolean>[] = [];
  private inFlight = 0;

  constructor(private readonly master: () => CacheClient) {
    this.batcher = new TickBatcher({
      schedule: 'nextTick',
      maxBatch: MAX_BATCH,
      flush: (batch) => this.gather(batch),
    });
  }

  /** Stores one key; true when stored, false when its condition kept it out. */
  set(request: SetRequest): Promise<boolean> {
    return this.batcher.add(request);
  }

  /**
   * Sends every write gathered so far now, ahead of whatever the caller sends next on the master:
   * a delete, an increment or a read issued after a `set` must reach Redis after it, as they would
   * on one ioredis client.
   */
  flush(): void {
    this.batcher.flushNow();
    if (this.waiting.length > 0) this.sendWaiting();
  }

  /** Stores many keys in one command, whatever the turn; one result per request, in order. */
  async setMany(requests: SetRequest[]): Promise<boolean[]> {
    if (requests.length === 1) return [await setOne(this.master(), requests[0] as SetRequest)];
    return setMany(this.master(), requests);
  }

  private gather(batch: BatchEntry<SetRequest, boolean>[]): void {
    this.waiting = this.waiting.length === 0 ? batch : this.waiting.concat(batch);
    if (this.inFlight < MAX_IN_FLIGHT || this.master().status !== 'ready') this.sendWaiting();
  }

  private sendWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    const size = waiting.length;
    const piece = Math.min(MAX_BATCH, this.inFlight === 0 && size >= SPLIT_FROM ? Math.ceil(size / 2) : size);
    for (let at = 0; at < size; at += piece) {
      this.inFlight += 1;
      this.send(piece === size ? waiting : waiting.slice(at, at + piece)).finally(this.onSent);
    }
  }

  private readonly onSent = (): void => {
    this.inFlight -= 1;
    if (this.waiting.length > 0) this.sendWaiting();
  };

  private async send(batch: BatchEntry<SetRequest, boolean>[]): Promise<void> {
    const client = this.master();
    try {
      if (batch.length === 1) {
        const [only] = batch as [BatchEntry<SetRequest, boolean>];
        only.resolve(await setOne(client, only.item));
        return;
      }
      const stored = await setMany(
        client,
        batch.map((entry) => entry.item),
      );
      for (const [i, entry] of batch.entries()) entry.resolve(stored[i] === true);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}

/** One `SET` with the typed overloads (ioredis's fastest path for it). */
async function setOne(client: CacheClient, { key, value, ms, mode }: SetRequest): Promise<boolean> {
  let reply: string | null;
  if (ms === null) reply = await (mode === 'xx' ? client.set(key, value, 'XX') : client.set(key, value));
  else
    reply = await (mode === 'xx' ? client.set(key, value, 'PX', ms, 'XX') : client.set(key, value, 'PX', ms));
  return reply === 'OK';
}

/**
 * The requests in one script call each — on a cluster one per slot, sent together, since a script's
 * keys must share a slot (a lone request of a slot as a plain `SET`) — the results in request order.
 */
async function setMany(client: CacheClient, requests: SetRequest[]): Promise<boolean[]> {
  if (!isCluster(client)) return setManyOnOne(client, requests);
  const groups = groupBySlot(requests, (request) => request.key);
  if (groups.length === 1) return setManyOnOne(client, requests);
  const stored: boolean[] = new Array(requests.length);
  await Promise.all(
    groups.map(async ({ indexes }) => {
      const group = indexes.map((i) => requests[i] as SetRequest);
      const results =
        group.length === 1
          ? [await setOne(client, group[0] as SetRequest)]
          : await setManyOnOne(client, group);
      indexes.forEach((at, j) => {
        stored[at] = results[j] === true;
      });
    }),
  );
  return stored;
}

/** The script by its SHA; once per new master (NOSCRIPT), the script itself, which also loads it. */
async function setManyOnOne(client: CacheClient, requests: SetRequest[]): Promise<boolean[]> {
  const [first] = requests as [SetRequest];
  const shared = requests.every(({ mode, ms }) => mode === first.mode && ms === first.ms);
  const args: (string | Buffer | number)[] = [requests.length];
  for (const { key } of requests) args.push(key);
  if (shared) {
    args.push(MODE[first.mode], first.ms ?? 0);
    for (const { value } of requests) args.push(value);
  } else {
    for (const { mode, ms, value } of requests) args.push(MODE[mode], ms ?? 0, value);
  }
  let reply: unknown;
  try {
    reply = await client.evalsha(SET_MANY_SHA, ...(args as [number, ...(string | Buffer | number)[]]));
  } catch (error) {
    if (!isReplyError(error) || !error.message.startsWith('NOSCRIPT')) throw error;
    reply = await client.eval(SET_MANY, ...(args as [number, ...(string | Buffer | number)[]]));
  }
  if (typeof reply === 'number') return new Array<boolean>(requests.length).fill(true);
  return (reply as number[]).map((stored) => stored === 1);
}
