import type { Cluster, Command } from 'ioredis';
import { NodeUnavailableError, OutcomeUnknownError } from '../errors.js';
import { IOREDIS_TEXT } from './ioredis/driver-messages.js';
import { translateNodeError } from './node-errors.js';

interface Pending {
  command: Command;
  sentAt: number;
  fail: (error: Error) => void;
}

const TRACKED = Symbol('sentinel-kit.clusterPending');

/** Replies that say the command was not applied: the slot had no master, was moving, or lived elsewhere. */
const NOT_APPLIED = /^(CLUSTERDOWN|TRYAGAIN|MOVED|ASK)\b/;

/**
 * Sits in front of one ioredis `Cluster`'s `sendCommand`, the door every command passes once
 * (ioredis retries and redirects behind it), and gives the cluster what ioredis lacks:
 *
 * - a deadline: a command unsettled `queueTimeout` ms after it was sent fails with
 *   `OutcomeUnknownError` (checked four times per period, so 1 to 1.25 times it), whether it waits
 *   for a slot's new master in ioredis's retries or on the socket of a node that froze — which
 *   ioredis alone would wait on until the node wakes, however long;
 * - typed rejections: running out of redirections becomes `NodeUnavailableError` when the last reply
 *   said the command was not applied (CLUSTERDOWN, TRYAGAIN, MOVED) and `OutcomeUnknownError`
 *   otherwise; refusals of credentials or TLS their own errors (`translateNodeError`);
 * - the door `close()` shuts: every pending command fails at once, and every later one.
 */
export class ClusterGuard {
  private readonly pending = new Set<Pending>();
  private readonly timer: NodeJS.Timeout;
  private closedWith: Error | undefined;

  constructor(
    cluster: Cluster,
    private readonly settings: {
      role: 'master' | 'replica';
      queueTimeoutMs: number;
      alias: string | undefined;
    },
  ) {
    const send = cluster.sendCommand.bind(cluster);
    cluster.sendCommand = (command: Command, stream?: unknown, node?: unknown) => {
      this.track(command);
      if (this.closedWith !== undefined) {
        command.reject(this.closedWith);
        return command.promise;
      }
      return send(command, stream as Parameters<typeof send>[1], node);
    };
    this.timer = setInterval(() => this.sweep(), Math.max(10, settings.queueTimeoutMs / 4));
    this.timer.unref();
  }

  /** Fails every pending command, and every command sent from now on, with `error`. */
  close(error: Error): void {
    this.closedWith = error;
    clearInterval(this.timer);
    for (const entry of [...this.pending]) entry.fail(error);
  }

  /** Commands sent and not settled yet. */
  get size(): number {
    return this.pending.size;
  }

  /** ioredis may pass one command through several times (its offline queue): wrap it once. */
  private track(command: Command): void {
    const marked = command as Command & { [TRACKED]?: true };
    if (marked[TRACKED]) return;
    marked[TRACKED] = true;
    const { resolve, reject } = command;
    const entry: Pending = {
      command,
      sentAt: Date.now(),
      fail: (error) => {
        this.pending.delete(entry);
        reject(error);
      },
    };
    this.pending.add(entry);
    command.resolve = (value) => {
      this.pending.delete(entry);
      resolve(value);
    };
    command.reject = (error: Error) => entry.fail(this.translate(error, command, entry.sentAt));
  }

  private sweep(): void {
    const { queueTimeoutMs, role, alias } = this.settings;
    const now = Date.now();
    for (const entry of [...this.pending]) {
      if (now - entry.sentAt < queueTimeoutMs) continue;
      entry.fail(new OutcomeUnknownError(role, entry.command.name, now - entry.sentAt, { alias }));
    }
  }

  private translate(error: Error, command: Command, sentAt: number): Error {
    const { role, alias } = this.settings;
    const redirections = error.message.indexOf(IOREDIS_TEXT.tooManyRedirections);
    if (redirections < 0) return translateNodeError(error, { alias, node: () => undefined });
    const last = error.message.slice(
      error.message.indexOf(IOREDIS_TEXT.lastError) + IOREDIS_TEXT.lastError.length,
    );
    const waited = Date.now() - sentAt;
    if (NOT_APPLIED.test(last.replace(/^\w*Error: /, ''))) {
      return new NodeUnavailableError(role, waited, { alias, cause: error });
    }
    return new OutcomeUnknownError(role, command.name, waited, { alias, cause: error });
  }
}
