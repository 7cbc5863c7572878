import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import { dropNow } from '../connector/ioredis/client-internals.js';
import { isReplyError } from '../connector/ioredis/driver-messages.js';
import {
  AuthenticationError,
  ClosedError,
  ClusterFailoverRefusedError,
  type ClusterNodeAttempt,
  ClusterUnreachableError,
  type NodeAddress,
  scrubError,
  TlsError,
} from '../errors.js';
import { authRefusal, tlsFailure } from '../sentinel/sentinel-verdict.js';
import { oneShotClientOptions } from '../shared/one-shot-client.js';
import { type ClusterNode, parseClusterNodes } from './cluster-nodes.js';

export interface ClusterAdminOptions {
  /** The nodes to ask, in order (a cluster location's seed list). At least one. */
  nodes: NodeAddress[];
  /** ACL user of the data nodes. @default none (the `default` user) */
  username?: string;
  /** Password of the data nodes. @default none */
  password?: string;
  /** TLS to the data nodes: `true` or Node TLS options. @default false */
  tls?: boolean | ConnectionOptions;
  /** Milliseconds one node gets to connect and answer before the next one is asked. @default 1000 */
  timeoutMs?: number;
}

/** `CLUSTER NODES` as one node sees it, and which node that was. */
export interface ClusterView {
  /** The node that answered. */
  from: NodeAddress;
  nodes: ClusterNode[];
}

/** `CLUSTER FAILOVER`'s modes: graceful (none), `FORCE` (master unreachable), `TAKEOVER` (no vote). */
export type ClusterFailoverMode = 'graceful' | 'force' | 'takeover';

const DEFAULT_TIMEOUT_MS = 1000;
const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
const key = (node: NodeAddress) => `${node.host}:${node.port}`;

/**
 * Every node of a cluster shares its credentials and TLS settings, so a refusal or a failed handshake
 * is thrown as the typed error at once instead of asking the next node.
 */
function throwIfShared(node: NodeAddress, cause: Error): void {
  const reply = authRefusal(cause);
  if (reply !== undefined) throw new AuthenticationError('data node', node, { cause, reply });
  const tlsCode = tlsFailure(cause);
  if (tlsCode !== undefined) throw new TlsError('data node', node, { cause, tlsCode });
}

/**
 * Talks to a Redis Cluster's nodes one at a time, for an operator's questions: the layout
 * (`CLUSTER NODES`) and manual failovers. Unlike ioredis's `Cluster` it follows no slots and
 * retries nothing: a view is one node's answer. Calls ask the nodes in turn, starting with the last
 * one that answered, each within `timeoutMs`; a refused password or a failed TLS handshake is thrown
 * at once (the other nodes share the credentials), and only when every node failed otherwise is one
 * `ClusterUnreachableError` thrown, naming each node's cause.
 */
export class ClusterAdmin {
  private readonly seeds: NodeAddress[];
  private readonly options: ClusterAdminOptions;
  private readonly timeoutMs: number;
  private readonly clients = new Map<string, Redis>();
  private readonly socketErrors = new WeakMap<Redis, Error>();
  private preferred = 0;
  private closed = false;

  constructor(options: ClusterAdminOptions) {
    this.seeds = options.nodes.map(({ host, port }) => ({ host, port }));
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** `CLUSTER NODES` from the first node that answers. */
  async view(): Promise<ClusterView> {
    const attempts: ClusterNodeAttempt[] = [];
    for (let step = 0; step < this.seeds.length; step++) {
      const index = (this.preferred + step) % this.seeds.length;
      const seed = this.seeds[index] as NodeAddress;
      try {
        const nodes = parseClusterNodes(String(await this.call(seed, 'CLUSTER', 'NODES')));
        this.preferred = index;
        return { from: seed, nodes };
      } catch (err) {
        const cause = toError(err);
        throwIfShared(seed, cause);
        attempts.push({ node: seed, cause });
      }
    }
    throw new ClusterUnreachableError(attempts, { timeoutMs: this.timeoutMs });
  }

  /**
   * `CLUSTER FAILOVER [FORCE|TAKEOVER]` sent to `replica`, a replica of `master`; resolves once the
   * replica accepted, not once it is master (that takes the master's hand-over). A refusal is a
   * `ClusterFailoverRefusedError` carrying the replica's reply.
   */
  async failover(
    replica: NodeAddress,
    master: NodeAddress,
    mode: ClusterFailoverMode = 'graceful',
  ): Promise<void> {
    const args = mode === 'graceful' ? [] : [mode.toUpperCase()];
    try {
      await this.call(replica, 'CLUSTER', 'FAILOVER', ...args);
    } catch (err) {
      const cause = toError(err);
      throwIfShared(replica, cause);
      if (isReplyError(cause)) throw new ClusterFailoverRefusedError(master, replica, { cause });
      throw new ClusterUnreachableError([{ node: replica, cause }], { timeoutMs: this.timeoutMs });
    }
  }

  /** Ends every socket this admin opened; later calls fail with `ClosedError`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const client of this.clients.values()) dropNow(client);
    this.clients.clear();
  }

  /** One command to one node within `timeoutMs`; rejects with the node's own (scrubbed) error. */
  private async call(node: NodeAddress, ...command: [string, ...string[]]): Promise<unknown> {
    if (this.closed) throw new ClosedError('ClusterAdmin');
    let timer: NodeJS.Timeout | undefined;
    const client = this.client(node);
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      const answer = (async () => {
        if (client.status === 'wait') await client.connect();
        return client.call(...command);
      })();
      return await Promise.race([answer, timeout]);
    } catch (err) {
      if (this.closed) throw new ClosedError('ClusterAdmin');
      const cause = scrubError(this.socketErrors.get(client) ?? toError(err));
      // A node that answered keeps its socket; one that did not is dialled afresh next time.
      if (!isReplyError(cause) || authRefusal(cause) !== undefined) this.drop(node);
      throw cause;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One reused client per node; a dropped one is dialled afresh, so a node that returns is used again. */
  private client(node: NodeAddress): Redis {
    const existing = this.clients.get(key(node));
    if (existing !== undefined && existing.status !== 'end') return existing;
    const client = new Redis({
      ...oneShotClientOptions({ ...node, ...this.options }, this.timeoutMs),
      connectionName: 'sentinel-kit-cluster-admin',
    });
    // ioredis rejects the pending command with a bare "Connection is closed."; the socket's own
    // error (ECONNREFUSED, WRONGPASS) arrives as this event and is the cause worth reporting.
    client.on('error', (err: Error) => this.socketErrors.set(client, err));
    this.clients.set(key(node), client);
    return client;
  }

  private drop(node: NodeAddress): void {
    const client = this.clients.get(key(node));
    if (client !== undefined) dropNow(client);
    this.clients.delete(key(node));
  }
}
