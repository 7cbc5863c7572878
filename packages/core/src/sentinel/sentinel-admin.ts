import { EventEmitter } from 'node:events';
import type { ConnectionOptions } from 'node:tls';
import { Redis, type RedisOptions } from 'ioredis';
import { dropNow } from '../connector/ioredis/client-internals.js';
import { isReplyError } from '../connector/ioredis/driver-messages.js';
import {
  ClosedError,
  FailoverRefusedError,
  isSentinelKitError,
  type NodeAddress,
  NoSentinelsError,
  type SentinelAttempt,
  scrubError,
} from '../errors.js';
import { parseSentinelEvent, type SentinelEvent } from './sentinel-events.js';
import {
  parseList,
  parseMasterInfo,
  parsePeerInfo,
  parseReplicaInfo,
  type SentinelMasterInfo,
  type SentinelPeerInfo,
  type SentinelReplicaInfo,
} from './sentinel-replies.js';
import { sentinelFailureKind, sentinelVerdict } from './sentinel-verdict.js';

export interface SentinelAdminOptions {
  /** The sentinels to ask, in order. At least one. */
  sentinels: NodeAddress[];
  /** The monitored master's name, e.g. `mymaster`. */
  masterName: string;
  /** ACL user for the sentinels. @default none (the `default` user) */
  sentinelUsername?: string;
  /** Password for the sentinels; separate from the data nodes' password. @default none */
  sentinelPassword?: string;
  /**
   * Milliseconds one sentinel gets to connect and answer before the next one is asked. Bounds
   * connect and command together, so a paused sentinel costs at most this much. @default 1000
   */
  sentinelTimeout?: number;
  /** Rewrites addresses the sentinels announce (`"ip:port"` → reachable address). @default none */
  natMap?: Record<string, NodeAddress>;
  /** The cache alias that owns this admin, named in error messages. @default none */
  alias?: string;
  /** TLS to the sentinels' port: `true` or Node TLS options. @default false (plain TCP) */
  tls?: boolean | ConnectionOptions;
}

/** `SENTINEL CKQUORUM`: whether the sentinels can reach quorum and authorize a failover. */
export interface QuorumCheck {
  ok: boolean;
  /** The sentinel's own words, e.g. `OK 3 usable Sentinels. Quorum and failover authorization can be reached`. */
  message: string;
}

/** A live subscription to the sentinels' events; `close()` ends its sockets. */
export interface SentinelSubscription {
  /** The sentinels that accepted the subscription at the start (the others keep retrying). */
  readonly subscribed: NodeAddress[];
  close(): Promise<void>;
}

const DEFAULT_SENTINEL_TIMEOUT_MS = 1000;
/** Reconnect delay cap for event subscriptions, in milliseconds: short, so a restarted sentinel is heard soon. */
const SUBSCRIBER_MAX_RETRY_DELAY_MS = 1000;

const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** A null `GET-MASTER-ADDR-BY-NAME` reply: worded as the sentinels' own reply, so the verdict reads it alike. */
class NoSuchMaster extends Error {
  constructor() {
    super('No such master with that name');
  }
}

/**
 * Talks to the sentinels' port (never a data node) about one monitored master: the `SENTINEL`
 * commands an operator needs, plus a subscription to the sentinels' events.
 *
 * Each call asks the sentinels in turn, starting with the last one that answered, giving each at
 * most `sentinelTimeout` ms. One sentinel's failure is a `sentinelError` event
 * (`(error, sentinel)`), never thrown; only when every sentinel fails is one summary error thrown,
 * by `sentinelVerdict`: `AuthenticationError` if any refused the credentials,
 * `UnknownMasterError` if any answered that it does not know the master, else
 * `AllSentinelsUnreachableError` with each sentinel's cause.
 * `sentinelError` rather than `error`: an unheard `error` event would throw, and one sentinel's
 * trouble must never do that. Its error is scrubbed of the command it answered (see `scrubCause`).
 */
export class SentinelAdmin extends EventEmitter {
  readonly masterName: string;
  readonly sentinelAddresses: readonly NodeAddress[];
  private readonly timeoutMs: number;
  private readonly alias: string | undefined;
  private readonly natMap: Record<string, NodeAddress> | undefined;
  private readonly baseOptions: RedisOptions;
  private readonly clients = new Map<number, Redis>();
  /** Every client this admin opened and that has not ended: command clients and subscribers. */
  private readonly open = new Set<Redis>();
  private readonly socketErrors = new WeakMap<Redis, Error>();
  private readonly subscriptions = new Set<SentinelSubscription>();
  private preferred = 0;
  private closed = false;

  constructor(options: SentinelAdminOptions) {
    super();
    if (options.sentinels.length === 0) {
      throw new NoSentinelsError({ alias: options.alias });
    }
    this.masterName = options.masterName;
    this.sentinelAddresses = options.sentinels.map(({ host, port }) => ({ host, port }));
    this.timeoutMs = options.sentinelTimeout ?? DEFAULT_SENTINEL_TIMEOUT_MS;
    this.alias = options.alias;
    this.natMap = options.natMap;
    this.baseOptions = {
      username: options.sentinelUsername,
      password: options.sentinelPassword,
      tls: options.tls === true ? {} : options.tls || undefined,
      connectTimeout: this.timeoutMs,
      commandTimeout: this.timeoutMs,
      enableReadyCheck: false,
      // Sentinel replies are flat field lists in RESP2, and sentinels older than 6 have no HELLO.
      protocol: 2,
      disableClientInfo: true,
      connectionName: 'sentinel-kit-admin',
    };
  }

  /** `SENTINEL MASTER <name>`: the master as the sentinels see it. */
  master(): Promise<SentinelMasterInfo> {
    return this.ask(async (client) =>
      parseMasterInfo(await client.call('SENTINEL', 'MASTER', this.masterName)),
    );
  }

  /** `SENTINEL REPLICAS <name>`: the master's replicas with flags, link status and offsets. */
  replicas(): Promise<SentinelReplicaInfo[]> {
    return this.ask(async (client) =>
      parseList(await client.call('SENTINEL', 'REPLICAS', this.masterName), parseReplicaInfo),
    );
  }

  /** `SENTINEL SENTINELS <name>`: the other sentinels that the answering one knows of. */
  sentinels(): Promise<SentinelPeerInfo[]> {
    return this.ask(async (client) =>
      parseList(await client.call('SENTINEL', 'SENTINELS', this.masterName), parsePeerInfo),
    );
  }

  /** `SENTINEL CKQUORUM <name>`: a `NOQUORUM` answer is `{ ok: false }`, not an error. */
  ckquorum(): Promise<QuorumCheck> {
    return this.ask(async (client) => {
      try {
        const reply = await client.call('SENTINEL', 'CKQUORUM', this.masterName);
        return { ok: true, message: String(reply) };
      } catch (err) {
        const error = toError(err);
        if (!error.message.startsWith('NOQUORUM')) throw error;
        return { ok: false, message: error.message };
      }
    });
  }

  /** `SENTINEL GET-MASTER-ADDR-BY-NAME <name>`, rewritten through `natMap`. */
  masterAddress(): Promise<NodeAddress> {
    return this.ask(async (client) => {
      const reply = await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName);
      if (!Array.isArray(reply) || reply.length < 2) throw new NoSuchMaster();
      return this.translate({ host: String(reply[0]), port: Number(reply[1]) });
    });
  }

  /**
   * `SENTINEL FAILOVER <name>`: a graceful failover, without asking the other sentinels for
   * agreement. A refusal (`INPROG`, `NOGOODSLAVE`) is a `FailoverRefusedError` at once: another
   * sentinel must not be asked to start a second failover.
   */
  failover(): Promise<void> {
    return this.ask(async (client, sentinel) => {
      try {
        await client.call('SENTINEL', 'FAILOVER', this.masterName);
      } catch (err) {
        const error = toError(err);
        if (!isReplyError(error) || sentinelFailureKind(error) !== 'unreachable') throw error;
        throw new FailoverRefusedError(this.masterName, sentinel, { alias: this.alias, cause: error });
      }
    });
  }

  /** The sentinel asked first next time: the last one that answered. */
  get currentSentinel(): NodeAddress {
    return this.sentinelAddresses[this.preferred] as NodeAddress;
  }

  /** `"ip:port"` as announced → the address to dial, per `natMap`. */
  translate(address: NodeAddress): NodeAddress {
    return this.natMap?.[`${address.host}:${address.port}`] ?? address;
  }

  /**
   * Subscribes to the events of every sentinel (`+sdown`, `+switch-master`, …) about this master;
   * events about no master in particular (`+tilt`) are passed on too. Resolves once each sentinel
   * subscribed or failed (at most `sentinelTimeout` ms); sentinels that failed keep retrying and
   * their events flow once they answer. Throws the summary error when none could subscribe.
   */
  async subscribe(listener: (event: SentinelEvent) => void): Promise<SentinelSubscription> {
    this.assertOpen();
    const clients = this.sentinelAddresses.map((sentinel) => this.subscriber(sentinel, listener));
    const results = await Promise.allSettled(
      clients.map(({ client, lastError }) =>
        this.withTimeout(
          client.psubscribe('*'),
          () => lastError() ?? new Error(`timed out after ${this.timeoutMs} ms`),
        ).catch((err: unknown) => {
          throw lastError() ?? toError(err);
        }),
      ),
    );
    const subscribed = this.sentinelAddresses.filter((_, i) => results[i]?.status === 'fulfilled');
    const close = async () => {
      this.subscriptions.delete(subscription);
      for (const { client } of clients) dropNow(client);
    };
    const subscription: SentinelSubscription = { subscribed, close };
    if (this.closed) {
      await close();
      this.assertOpen();
    }
    if (subscribed.length === 0) {
      await close();
      const attempts = results.map((r, i) => ({
        sentinel: this.sentinelAddresses[i] as NodeAddress,
        cause: r.status === 'rejected' ? toError(r.reason) : new Error('no reply'),
      }));
      throw this.summaryError(attempts);
    }
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The sentinels' events as an async iterable, until `signal` aborts, the loop breaks or `close()`. */
  async *events(options: { signal?: AbortSignal } = {}): AsyncGenerator<SentinelEvent> {
    const queue: SentinelEvent[] = [];
    let wake: (() => void) | undefined;
    let subscription: SentinelSubscription;
    try {
      subscription = await this.subscribe((event) => {
        queue.push(event);
        wake?.();
      });
    } catch (err) {
      // close() while subscribing ends the loop like close() while waiting does.
      if (this.closed) return;
      throw err;
    }
    const onAbort = () => wake?.();
    options.signal?.addEventListener('abort', onAbort);
    this.once('close', onAbort);
    try {
      while (!options.signal?.aborted && !this.closed) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.off('close', onAbort);
      await subscription.close();
    }
  }

  /**
   * Ends every socket this admin opened (command clients, subscriptions, also those still
   * connecting) and every `events()` loop; a call in progress fails with `ClosedError` instead of
   * asking the next sentinel. Emits `close`.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const client of this.open) dropNow(client);
    this.open.clear();
    this.clients.clear();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.emit('close');
  }

  /**
   * Asks the sentinels in turn until one answers. Each gets one deadline, `sentinelTimeout` ms,
   * for connecting and answering together, so n sentinels that hang cost n × `sentinelTimeout`.
   */
  private async ask<T>(run: (client: Redis, sentinel: NodeAddress) => Promise<T>): Promise<T> {
    this.assertOpen();
    const attempts: SentinelAttempt[] = [];
    const count = this.sentinelAddresses.length;
    const start = this.preferred;
    for (let step = 0; step < count; step++) {
      const index = (start + step) % count;
      const sentinel = this.sentinelAddresses[index] as NodeAddress;
      try {
        const answer = this.commandClient(index).then((client) => run(client, sentinel));
        const result = await this.withTimeout(answer, () => {
          this.dropClient(index);
          return new Error(`timed out after ${this.timeoutMs} ms`);
        });
        this.preferred = index;
        return result;
      } catch (err) {
        this.assertOpen();
        if (isSentinelKitError(err)) throw err;
        const client = this.clients.get(index);
        const cause = scrubError((client && this.socketErrors.get(client)) ?? toError(err));
        // A sentinel that answered keeps its socket; one that did not (or failed its TLS handshake) is
        // dialled afresh next time.
        const kind = sentinelFailureKind(cause);
        if (kind === 'unreachable' || kind === 'tls') this.dropClient(index);
        attempts.push({ sentinel, cause });
        this.emit('sentinelError', cause, sentinel);
      }
    }
    throw this.summaryError(attempts);
  }

  private summaryError(attempts: SentinelAttempt[]) {
    return sentinelVerdict(this.masterName, attempts, { alias: this.alias, timeoutMs: this.timeoutMs });
  }

  /** One reused client per sentinel; a closed one is replaced, so a sentinel that returns is used again. */
  private async commandClient(index: number): Promise<Redis> {
    this.assertOpen();
    let client = this.clients.get(index);
    if (client === undefined || client.status === 'end') {
      const { host, port } = this.sentinelAddresses[index] as NodeAddress;
      client = this.track(
        new Redis({
          ...this.baseOptions,
          host,
          port,
          lazyConnect: true,
          retryStrategy: null,
          maxRetriesPerRequest: 0,
        }),
      );
      // ioredis rejects the pending command with a bare "Connection is closed."; the socket's own
      // error (ECONNREFUSED, WRONGPASS) arrives as this event and is the cause worth reporting.
      client.on('error', (err: Error) => this.socketErrors.set(client as Redis, err));
      this.clients.set(index, client);
    }
    // The caller's deadline covers the connect too: a dropped client rejects it.
    if (client.status === 'wait') await client.connect();
    return client;
  }

  /** Registers a client so that `close()` ends it whatever it is doing. */
  private track(client: Redis): Redis {
    this.open.add(client);
    client.once('end', () => this.open.delete(client));
    return client;
  }

  private dropClient(index: number): void {
    const client = this.clients.get(index);
    if (client !== undefined) dropNow(client);
    this.clients.delete(index);
  }

  private subscriber(sentinel: NodeAddress, listener: (event: SentinelEvent) => void) {
    let last: Error | undefined;
    const client = this.track(
      new Redis({
        ...this.baseOptions,
        ...sentinel,
        commandTimeout: undefined,
        maxRetriesPerRequest: null,
        retryStrategy: (times) => Math.min(times * 100, SUBSCRIBER_MAX_RETRY_DELAY_MS),
      }),
    );
    client.on('error', (err: Error) => {
      last = scrubError(err);
      this.emit('sentinelError', last, sentinel);
    });
    client.on('pmessage', (_pattern: string, channel: string, message: string) => {
      if (!channel.startsWith('+') && !channel.startsWith('-')) return;
      const event = parseSentinelEvent(channel, message, sentinel);
      if (event.masterName === undefined || event.masterName === this.masterName) listener(event);
    });
    return { client, lastError: () => last };
  }

  private withTimeout<T>(promise: Promise<T>, onTimeout: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(onTimeout()), this.timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new ClosedError('SentinelAdmin', { alias: this.alias });
    }
  }
}
