import { EventEmitter } from 'node:events';
import type { ConnectionOptions } from 'node:tls';
import { Redis, type RedisOptions } from 'ioredis';
import {
  AllSentinelsUnreachableError,
  MasterDemotedError,
  type NodeAddress,
  NodeUnavailableError,
  NotSentinelLocationError,
  SentinelKitError,
} from '../errors.js';
import { type Location, parseLocation } from '../location/location.js';
import { SentinelAdmin, type SentinelAdminOptions } from '../sentinel/sentinel-admin.js';
import type { SentinelEvent } from '../sentinel/sentinel-events.js';
import { connectorKey } from './connector-key.js';
import {
  CONNECTOR_DEFAULTS,
  type ConnectorLogger,
  type ConnectorOptions,
  type ReadFrom,
} from './connector-options.js';
import { FailoverGuard, firstSentAt } from './failover-guard.js';
import {
  failQueued,
  failWaiting,
  onRoleMismatch,
  ReconnectDelay,
  reconnectNow,
} from './ioredis/client-internals.js';
import { MasterWatch } from './master-watch.js';
import { parseSentinelFailure, sentinelRoundError, translateNodeError } from './node-errors.js';
import { chooseReader } from './read-policy.js';

/** Payload of the `failover` event: the master moved. */
export interface FailoverEvent {
  masterName: string;
  from: NodeAddress;
  to: NodeAddress;
}

/** Payload of the `replicas-changed` event: the replicas the sentinels consider usable now. */
export interface ReplicasChangedEvent {
  masterName: string;
  replicas: NodeAddress[];
}

export interface ConnectorEvents {
  failover: [FailoverEvent];
  'replicas-changed': [ReplicasChangedEvent];
  error: [Error];
}

type SentinelLocation = Extract<Location, { kind: 'sentinel' }>;
type Role = 'master' | 'replica';

/** Events that open a failover: from here until the switch, the old master's acks may be thrown away. */
const FAILOVER_OPENING = new Set(['+try-failover', '+selected-slave', '+promoted-slave']);
/** How long a `+switch-master` outranks sentinels that still name the old master, in milliseconds. */
const STALE_SENTINEL_WINDOW_MS = 30_000;

const same = (a: NodeAddress | undefined, b: NodeAddress | undefined): boolean =>
  a !== undefined && b !== undefined && a.host === b.host && a.port === b.port;
const keyOf = (a: NodeAddress): string => `${a.host}:${a.port}`;

/** One ioredis client and what the connector tracks about it. */
interface Tracked {
  role: Role;
  client: Redis;
  /** In front of the client's `sendCommand`: typed rejections, send times, failover holds (master). */
  guard: FailoverGuard;
  delay: ReconnectDelay;
  /** The node the client's last resolution named, in the address space after `natMap`. */
  resolved: NodeAddress | undefined;
  /** The node the client is connected to and ready on. */
  connectedTo: NodeAddress | undefined;
  /** Each sentinel's latest failure since the client was last ready, by `host:port`. */
  attempts: Map<string, NonNullable<ReturnType<typeof parseSentinelFailure>>>;
  queueTimer: NodeJS.Timeout | undefined;
  lastError: Error | undefined;
  /** Bounds the handshake (AUTH, SELECT, role check) on a socket that connected; see `track`. */
  handshakeTimer: NodeJS.Timeout | undefined;
  /** Since when (ms since epoch) every node the sentinels named answered in the wrong role. */
  wrongRoleSince: number | undefined;
}

/**
 * The connections of one (topology, db, credentials): a write client that always reaches the current
 * master, a read client per the read policy, and the sentinels' admin port. Built on ioredis's
 * sentinel connector, configured to re-resolve on every reconnect with a short capped delay, and
 * steered by the sentinels' events and a periodic check. See DESIGN.md "Connections".
 */
export class Connector extends EventEmitter<ConnectorEvents> {
  readonly location: Location;
  readonly alias: string | undefined;
  readonly readFrom: ReadFrom;
  /** Equal for connectors that may share sockets; see `connectorKey`. */
  readonly key: string;

  private readonly options: ConnectorOptions;
  private readonly settings: typeof CONNECTOR_DEFAULTS;
  private readonly logger: ConnectorLogger | undefined;
  private readonly masterTracked: Tracked;
  private replicaTracked: Tracked | undefined;
  private readonly watch: MasterWatch | undefined;
  /** The admin the watch asks; also re-asks the sentinels when ioredis gave up on all of them. */
  private readonly watchAdmin: SentinelAdmin | undefined;
  private admin: SentinelAdmin | undefined;
  /** After a `+switch-master`: sentinels still naming `from` are stale until `until`; dial `to` instead. */
  private redirect: { from: NodeAddress; to: NodeAddress; until: number } | undefined;
  private healthyReplicas: NodeAddress[] | undefined;
  private lastReported: string | undefined;
  private closed = false;

  constructor(options: ConnectorOptions) {
    super();
    this.options = options;
    this.location = typeof options.location === 'string' ? parseLocation(options.location) : options.location;
    this.alias = options.alias;
    this.logger = options.logger;
    this.key = connectorKey(options);
    this.settings = {
      sentinelTimeout: options.sentinelTimeout ?? CONNECTOR_DEFAULTS.sentinelTimeout,
      socketConnectTimeout: options.socketConnectTimeout ?? CONNECTOR_DEFAULTS.socketConnectTimeout,
      readFrom: options.readFrom ?? CONNECTOR_DEFAULTS.readFrom,
      failoverHoldTimeout: options.failoverHoldTimeout ?? CONNECTOR_DEFAULTS.failoverHoldTimeout,
      masterCheckInterval: options.masterCheckInterval ?? CONNECTOR_DEFAULTS.masterCheckInterval,
      maxReconnectDelay: options.maxReconnectDelay ?? CONNECTOR_DEFAULTS.maxReconnectDelay,
      queueTimeout: options.queueTimeout ?? CONNECTOR_DEFAULTS.queueTimeout,
    };
    this.readFrom = this.settings.readFrom;
    this.masterTracked = this.open('master');
    if (this.location.kind === 'sentinel') {
      this.watchAdmin = new SentinelAdmin(this.adminOptions(this.location));
      this.watch = new MasterWatch(this.watchAdmin, this.settings.masterCheckInterval, {
        event: (event) => this.onSentinelEvent(event),
        master: (address) => this.onMasterNamed(address),
        replicas: (healthy) => this.onReplicas(healthy),
        error: (error) => this.report(error),
      });
      this.watch.start();
    }
  }

  /** Holds the master client's commands while a failover is open. */
  private get guard(): FailoverGuard {
    return this.masterTracked.guard;
  }

  /** The client for writes: the same `Redis` for the connector's whole life, always on the current master. */
  master(): Redis {
    return this.masterTracked.client;
  }

  /**
   * The client that serves reads now per `readFrom` (default: the connector's): the replica client,
   * or the master's when the policy falls back. For a one-server location, the master's.
   */
  replica(readFrom: ReadFrom = this.readFrom): Redis {
    if (readFrom === 'master' || this.location.kind !== 'sentinel') return this.masterTracked.client;
    // After close() the master's ended client answers "Connection is closed"; never open a new socket.
    if (this.closed && this.replicaTracked === undefined) return this.masterTracked.client;
    this.replicaTracked ??= this.open('replica');
    return chooseReader(readFrom, this.masterTracked.client, this.replicaTracked.client);
  }

  /** The sentinels' port, for `SENTINEL MASTER`/`REPLICAS`/`CKQUORUM`/`FAILOVER`; closed with the connector. */
  sentinels(): SentinelAdmin {
    if (this.location.kind !== 'sentinel') throw new NotSentinelLocationError({ alias: this.alias });
    this.admin ??= new SentinelAdmin(this.adminOptions(this.location));
    return this.admin;
  }

  /** Ends every socket, subscription and timer this connector opened; commands still queued fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.guard.release();
    for (const tracked of [this.masterTracked, this.replicaTracked]) {
      if (tracked === undefined) continue;
      clearTimeout(tracked.queueTimer);
      clearTimeout(tracked.handshakeTimer);
      tracked.client.disconnect();
    }
    await Promise.all([this.watch?.close(), this.admin?.close()]);
  }

  private adminOptions(location: SentinelLocation): SentinelAdminOptions {
    return {
      sentinels: location.sentinels,
      masterName: location.masterName,
      sentinelUsername: this.options.sentinelUsername,
      sentinelPassword: this.options.sentinelPassword,
      sentinelTimeout: this.settings.sentinelTimeout,
      natMap: this.options.natMap,
      alias: this.alias,
    };
  }

  private open(role: Role): Tracked {
    const delay = new ReconnectDelay(this.settings.maxReconnectDelay);
    const tracked: Tracked = {
      role,
      client: undefined as unknown as Redis,
      guard: undefined as unknown as FailoverGuard,
      delay,
      resolved: undefined,
      connectedTo: undefined,
      attempts: new Map(),
      queueTimer: undefined,
      lastError: undefined,
      wrongRoleSince: undefined,
      handshakeTimer: undefined,
    };
    tracked.client = new Redis(this.clientOptions(tracked));
    tracked.guard = new FailoverGuard(
      tracked.client,
      this.settings.failoverHoldTimeout,
      (error) => this.translate(tracked, error),
      () => this.log('debug', 'failover hold timed out; writes go to the master the sentinels name'),
    );
    this.track(tracked);
    return tracked;
  }

  private clientOptions(tracked: Tracked): RedisOptions {
    const location = this.location;
    const tls = this.tlsOptions();
    const common: RedisOptions = {
      db: location.db,
      username: this.options.username ?? location.username,
      password: this.options.password ?? location.password,
      connectTimeout: this.settings.socketConnectTimeout,
      socketTimeout: this.options.socketTimeout,
      retryStrategy: tracked.delay.strategy,
      // Commands wait for the master in the offline queue; `queueTimeout` bounds that wait in time.
      maxRetriesPerRequest: null,
      tls,
      // Names the connection in CLIENT LIST, so operators (and tests) can tell whose socket it is.
      connectionName: `sentinel-kit:${(this.alias ?? 'connector').replace(/\s/g, '_')}:${tracked.role}`,
    };
    if (location.kind !== 'sentinel') {
      return 'path' in location
        ? { ...common, path: location.path }
        : { ...common, host: location.host, port: location.port };
    }
    const userNat = this.options.natMap;
    return {
      ...common,
      sentinels: location.sentinels,
      name: location.masterName,
      role: tracked.role === 'master' ? 'master' : 'slave',
      sentinelUsername: this.options.sentinelUsername,
      sentinelPassword: this.options.sentinelPassword,
      sentinelCommandTimeout: this.settings.sentinelTimeout,
      enableTLSForSentinelMode: tls !== undefined,
      sentinelRetryStrategy: (attempt) =>
        Math.min(attempt * 50, tracked.role === 'master' ? this.settings.maxReconnectDelay : 1000),
      // The connector subscribes to every sentinel itself, once for both clients.
      failoverDetector: false,
      // A demoted master answers READONLY: reconnect (which asks the sentinels again) and resend.
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      // Every address ioredis resolves passes through here: record it, apply the user's map, and
      // steer a master resolution away from an old master that a lagging sentinel still names.
      natMap: (key: string) => {
        const separator = key.lastIndexOf(':');
        const announced = { host: key.slice(0, separator), port: Number(key.slice(separator + 1)) };
        let address = userNat?.[key] ?? announced;
        const redirect = this.redirect;
        if (tracked.role === 'master' && redirect !== undefined && same(address, redirect.from)) {
          if (Date.now() < redirect.until) address = redirect.to;
        }
        tracked.resolved = address;
        return address;
      },
    };
  }

  private tlsOptions(): ConnectionOptions | undefined {
    const tls = this.options.tls ?? this.location.tls;
    if (tls === false) return undefined;
    return tls === true ? {} : tls;
  }

  private track(tracked: Tracked): void {
    const { client } = tracked;
    if (this.location.kind === 'sentinel' && tracked.role === 'master') {
      onRoleMismatch(client, () => this.onWrongRole(tracked));
    }
    // ioredis's connectTimeout stops at the TCP connect; a paused (SIGSTOP) node accepts the
    // connection in the kernel and then never answers the handshake, which would hang the client.
    client.on('connect', () => {
      clearTimeout(tracked.handshakeTimer);
      tracked.handshakeTimer = setTimeout(() => {
        if (client.status === 'connect') reconnectNow(client, tracked.delay);
      }, this.settings.socketConnectTimeout);
    });
    client.on('ready', () => {
      clearTimeout(tracked.handshakeTimer);
      tracked.attempts.clear();
      tracked.wrongRoleSince = undefined;
      tracked.connectedTo = this.location.kind === 'sentinel' ? tracked.resolved : undefined;
      tracked.lastError = undefined;
      clearTimeout(tracked.queueTimer);
      tracked.queueTimer = undefined;
      if (tracked.role === 'master') this.lastReported = undefined;
    });
    client.on('close', () => {
      clearTimeout(tracked.handshakeTimer);
      tracked.connectedTo = undefined;
      this.armQueueTimer(tracked);
    });
    client.on('sentinelError', (error: Error) => {
      const attempt = parseSentinelFailure(error);
      if (attempt !== undefined) tracked.attempts.set(keyOf(attempt.sentinel), attempt);
    });
    client.on('error', (error: Error) => this.onClientError(tracked, error));
  }

  private onClientError(tracked: Tracked, error: Error): void {
    if (this.closed) return;
    if (this.location.kind === 'sentinel' && error.message.startsWith('All sentinels are unreachable')) {
      // ioredis walks its sentinel list across reconnects and says "all unreachable" whenever it
      // reaches the end, even when each sentinel answered; only a failure of every sentinel counts.
      if (tracked.attempts.size < this.location.sentinels.length) return;
      const attempts = [...tracked.attempts.values()];
      tracked.attempts.clear();
      if (tracked.role === 'replica' && attempts.length > 0 && attempts.every((a) => a.noAnswer)) {
        this.log('debug', 'no usable replica; reads fall back per readFrom');
        return;
      }
      const summary = sentinelRoundError(this.location.masterName, attempts, {
        alias: this.alias,
        timeoutMs: this.settings.sentinelTimeout,
      });
      void this.failRound(tracked, summary);
      return;
    }
    const translated = this.translate(tracked, error);
    tracked.lastError = translated;
    this.report(translated);
  }

  /** The sentinels named a master that is a replica: fine during a failover, an error if it lasts. */
  private onWrongRole(tracked: Tracked): void {
    const now = Date.now();
    tracked.wrongRoleSince ??= now;
    const waited = now - tracked.wrongRoleSince;
    if (waited < this.settings.failoverHoldTimeout) return;
    tracked.wrongRoleSince = now;
    const location = this.location as SentinelLocation;
    const error = new MasterDemotedError(location.masterName, tracked.resolved, waited, {
      alias: this.alias,
    });
    tracked.lastError = error;
    failQueued(tracked.client, error);
    this.report(error);
  }

  /** Fails the client's queued commands after a round in which every sentinel failed. */
  private async failRound(tracked: Tracked, summary: SentinelKitError): Promise<void> {
    let error = summary;
    // ioredis keeps only "Connection is closed" for a sentinel it could not reach; asking once more
    // through the admin yields each sentinel's own socket error (ECONNREFUSED, a timeout).
    if (summary instanceof AllSentinelsUnreachableError && this.watchAdmin !== undefined) {
      try {
        await this.watchAdmin.masterAddress();
        return;
      } catch (cause) {
        if (cause instanceof SentinelKitError) error = cause;
      }
    }
    if (this.closed) return;
    tracked.lastError = error;
    failQueued(tracked.client, error);
    this.report(error);
  }

  private translate(tracked: Tracked, error: Error): Error {
    return translateNodeError(error, { alias: this.alias, node: () => this.nodeOf(tracked) });
  }

  private nodeOf(tracked: Tracked): NodeAddress | undefined {
    const location = this.location;
    if (location.kind === 'sentinel') return tracked.connectedTo ?? tracked.resolved;
    return 'path' in location
      ? { host: location.path, port: 0 }
      : { host: location.host, port: location.port };
  }

  /**
   * While a client cannot reach its node, a command that has waited `queueTimeout` ms fails; checked
   * four times per `queueTimeout`, so a command waits between 1 and 1.25 times that.
   */
  private armQueueTimer(tracked: Tracked): void {
    if (tracked.queueTimer !== undefined || this.closed) return;
    const waitedMs = this.settings.queueTimeout;
    tracked.queueTimer = setTimeout(() => {
      tracked.queueTimer = undefined;
      if (this.closed || tracked.client.status === 'ready') return;
      const cutoff = Date.now() - waitedMs;
      failWaiting(
        tracked.client,
        (command) => (firstSentAt(command) ?? 0) <= cutoff,
        new NodeUnavailableError(tracked.role, waitedMs, { alias: this.alias, cause: tracked.lastError }),
      );
      this.armQueueTimer(tracked);
    }, waitedMs / 4);
  }

  private onSentinelEvent(event: SentinelEvent): void {
    const location = this.location as SentinelLocation;
    if (event.masterName !== location.masterName) return;
    if (FAILOVER_OPENING.has(event.type)) {
      if (!this.guard.holding) this.log('debug', `${event.type}: holding writes until the switch`);
      this.guard.hold();
      if (event.type === '+promoted-slave' && event.instance !== undefined) {
        const promoted = this.translateAddress(event.instance);
        if (same(this.replicaTracked?.connectedTo, promoted)) this.moveReplica();
      }
    } else if (event.type.startsWith('-failover-abort')) {
      this.log('debug', `${event.type}: releasing held writes`);
      this.guard.release();
    } else if (event.type === '+switch-master' && event.switch !== undefined) {
      this.switchMaster(this.translateAddress(event.switch.from), this.translateAddress(event.switch.to));
    }
  }

  private onMasterNamed(address: NodeAddress): void {
    const redirect = this.redirect;
    if (redirect !== undefined && same(address, redirect.from) && Date.now() < redirect.until) return;
    const current = this.masterTracked.connectedTo;
    if (current !== undefined && !same(current, address)) this.switchMaster(current, address);
  }

  /** Moves the write client (and a replica client on either node) to `to`, then sends held writes there. */
  private switchMaster(from: NodeAddress, to: NodeAddress): void {
    if (this.closed) return;
    const first =
      this.redirect === undefined || !same(this.redirect.to, to) || Date.now() >= this.redirect.until;
    if (first) {
      this.redirect = { from, to, until: Date.now() + STALE_SENTINEL_WINDOW_MS };
      const master = this.masterTracked;
      if (!same(master.connectedTo, to)) reconnectNow(master.client, master.delay);
      const replica = this.replicaTracked?.connectedTo;
      if (same(replica, to) || same(replica, from)) this.moveReplica();
      this.log('debug', `master moved ${keyOf(from)} -> ${keyOf(to)}`);
      this.emit('failover', { masterName: (this.location as SentinelLocation).masterName, from, to });
    }
    this.guard.release();
  }

  private moveReplica(): void {
    const replica = this.replicaTracked;
    if (replica !== undefined) reconnectNow(replica.client, replica.delay);
  }

  private onReplicas(healthy: NodeAddress[]): void {
    const previous = this.healthyReplicas;
    this.healthyReplicas = healthy;
    // A replica client still in its handshake counts as on the node it resolved: right after a
    // switch the sentinels list a paused old master as a fresh, unflagged replica for a moment.
    const tracked = this.replicaTracked;
    const replica =
      tracked?.connectedTo ?? (tracked?.client.status === 'connect' ? tracked.resolved : undefined);
    if (replica !== undefined && !healthy.some((r) => same(r, replica))) this.moveReplica();
    const changed =
      previous === undefined ||
      previous.length !== healthy.length ||
      healthy.some((r) => !previous.some((p) => same(p, r)));
    if (changed && previous !== undefined) {
      this.emit('replicas-changed', {
        masterName: (this.location as SentinelLocation).masterName,
        replicas: healthy,
      });
    }
  }

  private translateAddress(address: NodeAddress): NodeAddress {
    return this.options.natMap?.[keyOf(address)] ?? address;
  }

  /** One node's trouble: an `error` event when someone listens, else a log line; never thrown. */
  private report(error: Error): void {
    if (this.closed || error.message === this.lastReported) return;
    this.lastReported = error.message;
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else this.log('warn', error.message);
  }

  private log(level: 'debug' | 'warn', message: string): void {
    const prefix = this.alias === undefined ? 'sentinel-kit' : `sentinel-kit[${this.alias}]`;
    this.logger?.[level]?.(`${prefix}: ${message}`);
  }
}

/** One `Connector` for one location; see DESIGN.md "Connections". */
export function createConnector(options: ConnectorOptions): Connector {
  return new Connector(options);
}
