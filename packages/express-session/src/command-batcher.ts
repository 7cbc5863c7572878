import { type BatchEntry, groupBySlot, TickBatcher } from '@sentinel-kit/core';

/** What the batcher needs of an ioredis client (a `Redis`, or a Redis Cluster's `Cluster`). */
export interface PipelineClient {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  pipeline(commands: (string | number)[][]): { exec(): Promise<[Error | null, unknown][] | null> };
  /** ioredis sets it: true on a `Cluster`, false on a `Redis`. */
  readonly isCluster?: boolean;
  /** A `Cluster`'s: its `'ready'` once it has loaded the slot map. */
  readonly status?: string;
  ping?(): Promise<unknown>;
  /** A `Cluster`'s: one client per node of `role`. */
  nodes?(role: 'master'): PipelineClient[];
}

type Command = [string, ...(string | number)[]];

/** Commands gathered before a flush that does not wait for the loop iteration to end. */
const MAX_BATCH = 512;

/**
 * Sends the commands issued during one iteration of the event loop as one ioredis pipeline (one
 * socket write, not a MULTI), in the order they were issued; each caller gets its own reply or error.
 * A lone command goes out alone, with `call`.
 *
 * Why: ioredis writes every command to the socket on its own, node-redis 5 writes a tick's commands
 * at once; under concurrent requests those per-command writes were most of the gap between this
 * store and connect-redis on node-redis. The batch goes out on `setImmediate`, right after the
 * loop's I/O callbacks: the requests that arrived together share one write (with `process.nextTick`
 * each request's socket callback flushed alone), and a lone command waits only for that iteration's end.
 *
 * On a Redis Cluster a pipeline must keep to the slots of one node, so the batch goes out as one
 * pipeline per slot of the commands' first key (every command sent here names its keys first, all
 * in one slot). A slot, unlike a node, cannot split between two masters when a failover moves it.
 */
export class CommandBatcher {
  private readonly batcher = new TickBatcher<Command, unknown>({
    schedule: 'immediate',
    maxBatch: MAX_BATCH,
    flush: (batch) => this.flush(batch),
  });

  private readonly cluster: boolean;

  constructor(private readonly client: PipelineClient) {
    this.cluster = client.isCluster === true;
  }

  send(command: string, ...args: (string | number)[]): Promise<unknown> {
    return this.batcher.add([command, ...args]);
  }

  /** A synchronous throw from `call` or `pipeline` fails the whole batch (TickBatcher sees to it). */
  private flush(batch: BatchEntry<Command, unknown>[]): void {
    if (!this.cluster) {
      this.sendTogether(batch);
      return;
    }
    for (const { indexes } of groupBySlot(batch, (entry) => String(entry.item[1]))) {
      this.sendTogether(indexes.map((i) => batch[i] as BatchEntry<Command, unknown>));
    }
  }

  private sendTogether(batch: BatchEntry<Command, unknown>[]): void {
    if (batch.length === 1) {
      const [only] = batch as [BatchEntry<Command, unknown>];
      this.client.call(...only.item).then(only.resolve, only.reject);
      return;
    }
    // ioredis's pipeline(commands) takes method names; `call` takes any command, as the client does.
    this.client
      .pipeline(batch.map((entry) => ['call', ...entry.item]))
      .exec()
      .then(
        (replies) => {
          for (const [i, entry] of batch.entries()) {
            const [error, reply] = replies?.[i] ?? [
              new Error('The pipeline was discarded before it ran.'),
              null,
            ];
            if (error) entry.reject(error);
            else entry.resolve(reply);
          }
        },
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      );
  }
}
