import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import {
  ClosedError,
  MasterDemotedError,
  type NodeAddress,
  NotSentinelLocationError,
  type SentinelKitError,
  UnsupportedLocationError,
} from '../errors.js';
import { type Location, type OneMasterLocation, toLocation } from '../location/location.js';
import { SentinelAdmin, type SentinelAdminOptions } from '../sentinel/sentinel-admin.js';
import { FailoverTelemetry } from '../telemetry/failover-telemetry.js';
import { type ClientRole, sentinelTlsOptions } from './client-options.js';
import { connectorKey } from './connector-key.js';
import {
  type ConnectorLogger,
  type ConnectorOptions,
  type ConnectorSettings,
  type ReadFrom,
  resolveSettings,
} from './connector-options.js';
import { FailoverState } from './failover-state.js';
import { closedClient } from './ioredis/client-internals.js';
import { sentinelRoundError } from './node-errors.js';
import { chooseReader } from './read-policy.js';
import { sentinelWatches, type WatchLease } from './sentinel-watches.js';
import { type SentinelFailure, TrackedClient, type TrackedClientHooks } from './tracked-client.js';

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
  /** One node's trouble, always a sentinel-kit error (no driver error, so no command arguments). */
  error: [SentinelKitError];
}

/** How a companion connection talks (see `Connector.companion`). */
export interface CompanionOptions {
  /** What it is for, in its `CLIENT LIST` name (`sentinel-kit:<alias>:<purpose>`). */
  purpose: string;
  /**
   * A RESP2 subscriber whose subscriptions the caller makes again on every `ready` (ioredis does
   * not resubscribe it). Default: false (a command connection on ioredis's default protocol).
   */
  subscriber?: boolean;
}

/** A connection of its own to the current master; see `Connector.companion`. */
export interface MasterCompanion {
  /** Its ioredis client: `ready` after each (re)connect to the master, `close` when its socket closes. */
  readonly client: Redis;
  /** The node it is connected and ready on (the one server for a one-server location). */
  node(): NodeAddress | undefined;
  /** Ends it now; the connector goes on. */
  close(): void;
}

type SentinelLocation = Extract<Location, { kind: 'sentinel' }>;

const same = (a: NodeAddress | undefined, b: NodeAddress | undefined): boolean =>
  a !== undefined && b !== undefined && a.host === b.host && a.port === b.port;

/**
 * The connections of one (topology, db, credentials): a write client that always reaches the current
 * master, a read client per the read policy, and the sentinels' admin port. Built on ioredis's
 * sentinel connector, configured to re-resolve on every reconnect with a short capped delay; where
 * the writes go during a failover is decided by `FailoverState`, fed by the sentinels' events and a
 * periodic check (`MasterWatch`). docs/architecture.md follows one write through a failover.
 */
export class Connector extends EventEmitter<ConnectorEvents> {
  readonly location: OneMasterLocation;
  readonly alias: string | undefined;
  readonly readFrom: ReadFrom;
  /** Equal for connectors that may share sockets; see `connectorKey`. */
  readonly key: string;

  private readonly options: ConnectorOptions;
  private readonly settings: ConnectorSettings;
  private readonly logger: ConnectorLogger | undefined;
  private readonly hooks: TrackedClientHooks;
  private readonly writer: TrackedClient;
  private reader: TrackedClient | undefined;
  private readonly companions = new Set<TrackedClient>();
  private readonly failover: FailoverState | undefined;
  private telemetry: FailoverTelemetry | undefined;
  /** The topology's watch, shared with the process's other connectors on the same sentinels. */
  private readonly watch: WatchLease | undefined;
  private readonly unwatch: (() => void) | undefined;
  private admin: SentinelAdmin | undefined;
  private healthyReplicas: NodeAddress[] | undefined;
  private lastReported: string | undefined;
  private closed = false;

  constructor(options: ConnectorOptions) {
    super();
    this.options = options;
    this.location = oneMaster(toLocation(options.location), options.alias);
    this.alias = options.alias;
    this.logger = options.logger;
    this.key = connectorKey(options);
    this.settings = resolveSettings(options);
    this.readFrom = this.settings.readFrom;
    this.hooks = this.clientHooks();
    const location = this.location;
    this.writer = this.open('master');
    if (location.kind === 'sentinel') {
      const failover = this.failoverState(location);
      this.failover = failover;
      this.watch = sentinelWatches.acquire(this.adminOptions(location), this.settings.masterCheckInterval);
      this.unwatch = this.watch.watch.add({
        event: (event) => failover.sentinelEvent(event),
        master: (address) => failover.masterNamed(address),
        replicas: (healthy) => this.onReplicas(healthy),
        error: (error) => this.report(error),
      });
    }
  }

  /** The client for writes: the same `Redis` for the connector's whole life, always on the current master. */
  master(): Redis {
    return this.writer.client;
  }

  /**
   * The client that serves reads now per `readFrom` (default: the connector's): the replica client,
   * or the master's when the policy falls back. For a one-server location, the master's.
   */
  replica(readFrom: ReadFrom = this.readFrom): Redis {
    if (readFrom === 'master' || this.location.kind !== 'sentinel') return this.writer.client;
    // After close() the master's ended client answers "Connection is closed"; never open a new socket.
    if (this.closed && this.reader === undefined) return this.writer.client;
    this.reader ??= this.open('replica');
    return chooseReader(readFrom, this.writer.client, this.reader.client);
  }

  /**
   * The sentinels' port, for `SENTINEL MASTER`/`REPLICAS`/`CKQUORUM`/`FAILOVER`; closed with the
   * connector (after `close()`, one whose calls fail with `ClosedError`).
   */
  sentinels(): SentinelAdmin {
    if (this.location.kind !== 'sentinel') {
      throw new NotSentinelLocationError({ alias: this.alias, kind: this.location.kind });
    }
    if (this.admin === undefined) {
      this.admin = new SentinelAdmin(this.adminOptions(this.location));
      if (this.closed) void this.admin.close();
    }
    return this.admin;
  }

  /**
   * A connection of the caller's own to the current master, for a feature whose connection state
   * must not be shared (the near cache's invalidation subscriber and its tracking connection): it
   * resolves, reconnects and is moved on every switch like the write client, and closes with the
   * connector or by its own `close()`. After `close()`, one whose client fails every command.
   */
  companion(options: CompanionOptions): MasterCompanion {
    if (this.closed) {
      const client = closedClient(new ClosedError('connector', { alias: this.alias, command: 'unsent' }));
      return { client, node: () => undefined, close: () => {} };
    }
    const tracked = new TrackedClient({
      role: 'master',
      location: this.location,
      options: this.options,
      settings: this.settings,
      hooks: this.hooks,
      purpose: options.purpose,
      subscriber: options.subscriber,
    });
    this.companions.add(tracked);
    return {
      client: tracked.client,
      node: () => tracked.node,
      close: () => {
        this.companions.delete(tracked);
        tracked.close();
      },
    };
  }

  /**
   * Ends every socket, subscription, timer and sentinel walk this connector opened. Every command
   * still queued, held by a failover or awaiting its reply fails at once with `ClosedError`, and so
   * does every command sent on its clients afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unwatch?.();
    this.writer.close();
    this.reader?.close();
    for (const companion of this.companions) companion.close();
    this.companions.clear();
    await Promise.all([this.watch?.release(), this.admin?.close()]);
  }

  private open(role: ClientRole): TrackedClient {
    return new TrackedClient({
      role,
      location: this.location,
      options: this.options,
      settings: this.settings,
      hooks: this.hooks,
    });
  }

  private failoverState(location: SentinelLocation): FailoverState {
    const telemetry = new FailoverTelemetry(this.writer.client, location.masterName, this.alias);
    this.telemetry = telemetry;
    return new FailoverState({
      masterName: location.masterName,
      failoverHoldTimeoutMs: this.settings.failoverHoldTimeout,
      translate: (address) => this.options.natMap?.[`${address.host}:${address.port}`] ?? address,
      positions: {
        master: () => this.writer.connectedTo,
        replica: () => this.reader?.position,
      },
      actions: {
        holdWrites: () => {
          this.writer.guard.hold();
          telemetry.holdOpened();
        },
        releaseWrites: () => {
          this.writer.guard.release();
          telemetry.holdEnded();
        },
        reconnectMaster: () => this.writer.reconnect(),
        moveReplica: () => this.reader?.reconnect(),
        masterDemoted: (node, waitedMs) => {
          const error = new MasterDemotedError(location.masterName, node, waitedMs, { alias: this.alias });
          this.writer.failQueued(error);
          this.report(error);
        },
        failover: (from, to) => {
          for (const companion of this.companions) {
            if (!same(companion.position, to)) companion.reconnect();
          }
          telemetry.switched();
          this.writer.guard.awaitAcknowledgement(() => telemetry.acknowledged());
          if (!this.closed) this.emit('failover', { masterName: location.masterName, from, to });
        },
        log: (message) => this.log('debug', message),
      },
    });
  }

  private clientHooks(): TrackedClientHooks {
    return {
      resolve: (client, address) =>
        client.role === 'master' && this.failover !== undefined ? this.failover.resolve(address) : address,
      ready: (client, node) => {
        // Only the write client settles a switch; a companion follows it.
        if (client !== this.writer) return;
        this.lastReported = undefined;
        this.failover?.masterReady(node);
      },
      wrongRole: (client) => {
        if (client === this.writer) this.failover?.wrongRole(client.resolved);
      },
      sentinelRoundFailed: (client, failures) => this.onSentinelRoundFailed(client, failures),
      error: (_client, error) => this.report(error),
      holdTimedOut: () => {
        this.log('debug', 'failover hold timed out; writes go to the master the sentinels name');
        this.telemetry?.holdEnded();
        this.failover?.holdTimedOut();
      },
    };
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
      tls: sentinelTlsOptions(this.options, location),
    };
  }

  private onSentinelRoundFailed(client: TrackedClient, failures: SentinelFailure[]): void {
    const location = this.location as SentinelLocation;
    // For the read client a sentinel that names no node means "no usable replica", not "no such
    // master": reads fall back to the master (or wait, for readFrom 'replica') until one returns.
    if (client.role === 'replica' && failures.some((f) => f.noAnswer)) {
      this.log('debug', 'no usable replica; reads fall back per readFrom');
      return;
    }
    // Each failure already holds the sentinel's own cause (its socket error, or its deadline), so
    // the commands fail now: asking the sentinels again would double the wait.
    const summary = sentinelRoundError(location.masterName, failures, {
      alias: this.alias,
      timeoutMs: this.settings.sentinelTimeout,
    });
    if (this.closed) return;
    client.failQueued(summary);
    this.report(summary);
  }

  private onReplicas(healthy: NodeAddress[]): void {
    const previous = this.healthyReplicas;
    this.healthyReplicas = healthy;
    // A replica client still in its handshake counts as on the node it resolved: right after a
    // switch the sentinels list a paused old master as a fresh, unflagged replica for a moment.
    const replica = this.reader?.position;
    if (replica !== undefined && !healthy.some((r) => same(r, replica))) this.reader?.reconnect();
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

  /**
   * One node's trouble: an `error` event when someone listens, else a log line; never thrown.
   * Errors of the shared watch belong to no cache: they are named after this connector's alias.
   */
  private report(problem: SentinelKitError): void {
    const error = this.own(problem);
    if (this.closed || error.message === this.lastReported) return;
    this.lastReported = error.message;
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else this.log('warn', error.message);
  }

  private own<E extends SentinelKitError>(error: E): E {
    if (this.alias === undefined || error.alias !== undefined) return error;
    return error.forAlias(this.alias);
  }

  private log(level: 'debug' | 'warn', message: string): void {
    const prefix = this.alias === undefined ? 'sentinel-kit' : `sentinel-kit[${this.alias}]`;
    this.logger?.[level]?.(`${prefix}: ${message}`);
  }
}

/** The connector follows one master; a cluster's many masters are not its to follow. */
function oneMaster(location: Location, alias: string | undefined): OneMasterLocation {
  if (location.kind === 'cluster') throw new UnsupportedLocationError('the connector', 'cluster', { alias });
  return location;
}

/** One `Connector` for one location; see docs/architecture.md. */
export function createConnector(options: ConnectorOptions): Connector {
  return new Connector(options);
}
