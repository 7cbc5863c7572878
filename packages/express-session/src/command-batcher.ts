/** What the batcher needs of an ioredis client. */
export interface PipelineClient {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  pipeline(commands: (string | number)[][]): { exec(): Promise<[Error | null, unknown][] | null> };
}

interface Queued {
  command: (string | number)[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Commands gathered before a flush that does not wait for the loop iteration to end. */
const MAX_BATCH = 512;

/**
 * Sends the commands issued during one iteration of the event loop as one ioredis pipeline (one
 * socket write, not a MULTI), in the order they were issued; each caller gets its own reply or error.
 *
 * Why: ioredis writes every command to the socket on its own, node-redis 5 writes a tick's commands
 * at once; under concurrent requests those per-command writes were most of the gap between this
 * store and connect-redis on node-redis. The flush runs on `setImmediate`, right after the loop's
 * I/O callbacks: the requests that arrived together share one write (with `process.nextTick` each
 * request's socket callback flushed alone), and a lone command waits only for that iteration's end.
 */
export class CommandBatcher {
  private queue: Queued[] = [];
  private scheduled = false;

  constructor(private readonly client: PipelineClient) {}

  send(command: string, ...args: (string | number)[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ command: [command, ...args], resolve, reject });
      if (this.queue.length >= MAX_BATCH) {
        this.flush();
      } else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.onTick);
      }
    });
  }

  private readonly onTick = (): void => {
    this.scheduled = false;
    this.flush();
  };

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const [only] = batch as [Queued];
      const [command, ...args] = only.command as [string, ...(string | number)[]];
      this.client.call(command, ...args).then(only.resolve, only.reject);
      return;
    }
    // ioredis's pipeline(commands) takes method names; `call` takes any command, as the client does.
    let pending: Promise<[Error | null, unknown][] | null>;
    try {
      pending = this.client.pipeline(batch.map((q) => ['call', ...q.command])).exec();
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (replies) => {
        for (const [i, queued] of batch.entries()) {
          const [error, reply] = replies?.[i] ?? [
            new Error('The pipeline was discarded before it ran.'),
            null,
          ];
          if (error) queued.reject(error);
          else queued.resolve(reply);
        }
      },
      (error: unknown) => {
        for (const queued of batch) queued.reject(error);
      },
    );
  }
}
