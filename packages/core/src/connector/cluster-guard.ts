import type { Cluster, Command } from 'ioredis';
import { NodeUnavailableError, OutcomeUnknownError } from '../errors.js';
import { mayBlock } from './blocking-commands.js';
import { IOREDIS_TEXT } from './ioredis/driver-messages.js';
import { translateNodeError } from './node-errors.js';

interface Pending {
  command: Command;
  sentAt: number;
  /**
   * The cluster's ready count when the command came, or -1 when it was ready then: a command that
   * came while the cluster was not ready and saw no `ready` since waited in ioredis's offline
   * queue the whole time, written to no node.
   */
  readyCountAtSend: number;
  fail: (error: Error) => void;
}

/** Milliseconds between two looks at held reads and stalled commands. */
const TICK_MS = 100;

/**
 * Milliseconds a command may await its reply before the slot map is refreshed, and refreshed again
 * every {@link TICK_MS} while it waits. A master frozen by SIGSTOP keeps its sockets open: nothing
 * fails, nothing is retried, so without this the connector would learn of its replica's promotion
 * only at the next periodic refresh, up to `masterCheckInterval` later.
 */
const STALLED_MS = 200;

type Stream = Parameters<Cluster['sendCommand']>[1];

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
 * - a hold: a command `settings.hold` says must wait (a read under `readFrom: 'replica'` of a slot
 *   with no replica to serve it, a command of a slot whose map is in doubt) is not sent until it
 *   may be, on a slot refresh (`release`) or within {@link TICK_MS}; unsent at the deadline, it
 *   fails with `NodeUnavailableError`, which says it never reached a node. A pipeline's commands
 *   (sent with their node) are never held;
 * - a stall check: a command unanswered for {@link STALLED_MS} refreshes the slot map;
 * - a refusal (`refuse`): while the nodes refuse the client's TLS settings or credentials and the
 *   cluster was never ready, every pending command fails at once with that error, and every new
 *   one, until the cluster is ready;
 * - the door `close()` shuts: every pending command fails at once, and every later one.
 *
 * A command that fails at its deadline having waited only in ioredis's offline queue (the cluster
 * not ready since it came) fails with `NodeUnavailableError` too: it reached no node.
 */
export class ClusterGuard {
  private readonly pending = new Set<Pending>();
  /** Commands not sent yet because `settings.hold` said so, with the stream they came with. */
  private readonly held = new Map<Command, Stream>();
  private readonly send: (command: Command, stream?: Stream) => unknown;
  private readonly timer: NodeJS.Timeout;
  private readonly ticker: NodeJS.Timeout;
  private closedWith: Error | undefined;
  private refusedWith: Error | undefined;
  /** `ready` events of the cluster so far. */
  private readyCount = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly settings: {
      role: 'master' | 'replica';
      queueTimeoutMs: number;
      alias: string | undefined;
      hold?: (command: Command) => boolean;
    },
  ) {
    const send = cluster.sendCommand.bind(cluster);
    this.send = send;
    cluster.sendCommand = (command: Command, stream?: Stream, node?: unknown) => {
      this.track(command);
      const shut = this.closedWith ?? this.refusedWith;
      if (shut !== undefined) {
        command.reject(shut);
        return command.promise;
      }
      if (node === undefined && settings.hold?.(command)) {
        this.held.set(command, stream);
        return command.promise;
      }
      return send(command, stream, node);
    };
    this.timer = setInterval(() => this.sweep(), Math.max(10, settings.queueTimeoutMs / 4));
    this.timer.unref();
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
    cluster.on('ready', () => {
      this.readyCount += 1;
      this.refusedWith = undefined;
    });
  }

  /** Whether the cluster has been ready at least once. */
  get everReady(): boolean {
    return this.readyCount > 0;
  }

  /**
   * The nodes refuse this client's settings (`error` says which and how to fix it): fails every
   * pending command with `error` at once, and every new one until the cluster is ready. For a
   * cluster never ready, whose commands all still wait in ioredis's offline queue.
   */
  refuse(error: Error): void {
    if (this.closedWith !== undefined || this.everReady) return;
    this.refusedWith = error;
    for (const entry of [...this.pending]) entry.fail(error);
  }

  /** Whether the client is failing its commands with a refusal now. */
  get refusing(): boolean {
    return this.refusedWith !== undefined;
  }

  /** Fails every pending command, and every command sent from now on, with `error`. */
  close(error: Error): void {
    this.closedWith = error;
    clearInterval(this.timer);
    clearInterval(this.ticker);
    for (const entry of [...this.pending]) entry.fail(error);
  }

  /** Commands sent and not settled yet. */
  get size(): number {
    return this.pending.size;
  }

  /** Sends every held command that may go now; the connector calls it after each slot refresh. */
  release(): void {
    for (const [command, stream] of [...this.held]) {
      if (this.settings.hold?.(command)) continue;
      this.held.delete(command);
      this.send(command, stream);
    }
  }

  private tick(): void {
    if (this.held.size > 0) this.release();
    if (this.cluster.status === 'ready' && this.stalled()) this.cluster.refreshSlotsCache();
  }

  /** Whether the oldest sent command that should have been answered by now still awaits its reply. */
  private stalled(): boolean {
    const now = Date.now();
    for (const entry of this.pending) {
      if (this.held.has(entry.command) || mayBlock(entry.command)) continue;
      // Oldest first: the set keeps the order the commands were sent in.
      return now - entry.sentAt >= STALLED_MS;
    }
    return false;
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
      readyCountAtSend: this.cluster.status === 'ready' ? -1 : this.readyCount,
      fail: (error) => {
        this.pending.delete(entry);
        this.held.delete(command);
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
      const waited = now - entry.sentAt;
      if (waited < queueTimeoutMs) continue;
      const unsent = this.held.has(entry.command) || entry.readyCountAtSend === this.readyCount;
      entry.fail(
        unsent
          ? new NodeUnavailableError(role, waited, { alias })
          : new OutcomeUnknownError(role, entry.command.name, waited, { alias }),
      );
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
