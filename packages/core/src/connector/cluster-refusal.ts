import { Redis } from 'ioredis';
import { AuthenticationError, type NodeAddress, type SentinelKitError, TlsError } from '../errors.js';
import { type OneShotTarget, oneShotClientOptions } from '../shared/one-shot-client.js';
import { nodeTrouble } from './node-errors.js';

/** A refusal waiting does not fix: the nodes reject the TLS settings or the credentials. */
export type Refusal = TlsError | AuthenticationError;

/** Milliseconds between two probes of one connector: a misconfigured client's node errors come by the dozen each second. */
const PROBE_EVERY_MS = 1000;

const isRefusal = (error: SentinelKitError): error is Refusal =>
  error instanceof TlsError || error instanceof AuthenticationError;

/**
 * Tells a cluster client that cannot get ready because the nodes refuse its settings from one
 * whose nodes are only out of reach. ioredis learns the slot map on a duplicate of a node's
 * connection whose errors it drops: a failed TLS handshake reaches the `node error` event as no
 * more than "Connection is closed." (a refused password does arrive as itself). Such a bare error
 * is followed by one connection of our own to that node, with the same settings, whose error says
 * what was wrong — at most one probe at a time and one per {@link PROBE_EVERY_MS}.
 */
export class ClusterRefusal {
  private inFlight: Promise<Refusal | undefined> | undefined;
  private lastProbeAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly target: Omit<OneShotTarget, 'host' | 'port'>,
    private readonly settings: { alias: string | undefined; timeoutMs: number },
  ) {}

  /**
   * The refusal `trouble` (a node error of a client that was never ready) amounts to: itself when
   * it is one, else what the probe in flight or a new probe of `node` finds; undefined when nothing
   * says the settings are wrong.
   */
  of(trouble: SentinelKitError, node: NodeAddress | undefined): Promise<Refusal | undefined> {
    if (isRefusal(trouble)) return Promise.resolve(trouble);
    if (this.inFlight !== undefined) return this.inFlight;
    if (node === undefined || Date.now() - this.lastProbeAt < PROBE_EVERY_MS)
      return Promise.resolve(undefined);
    this.lastProbeAt = Date.now();
    const probe = this.probe(node).then((failure) => {
      this.inFlight = undefined;
      if (failure === undefined) return undefined;
      const found = nodeTrouble(failure, { target: 'master', node, alias: this.settings.alias });
      return isRefusal(found) ? found : undefined;
    });
    this.inFlight = probe;
    return probe;
  }

  /** Connects to `node` and sends PING: the connection's own error, or undefined when it answered. */
  private async probe(node: NodeAddress): Promise<Error | undefined> {
    let socketError: Error | undefined;
    const client = new Redis(oneShotClientOptions({ ...this.target, ...node }, this.settings.timeoutMs));
    client.on('error', (error: Error) => {
      socketError = error;
    });
    try {
      await client.connect();
      await client.ping();
      return undefined;
    } catch (error) {
      return socketError ?? (error instanceof Error ? error : new Error(String(error)));
    } finally {
      client.disconnect();
    }
  }
}
