import { EventEmitter } from 'node:events';
import { Cluster, type Command, type Redis } from 'ioredis';
import {
  ClosedError,
  type NodeAddress,
  NotSentinelLocationError,
  type SentinelKitError,
  UnsupportedLocationError,
} from '../errors.js';
import { type Location, toLocation } from '../location/location.js';
import { SLOTS } from '../shared/key-slot.js';
import { parseNodeKey } from '../shared/node-key.js';
import { tlsOptions } from './client-options.js';
import { ClusterGuard } from './cluster-guard.js';
import { clusterOptions, waitsForReplica } from './cluster-options.js';
import { ClusterRefusal } from './cluster-refusal.js';
import { connectorKey } from './connector-key.js';
import {
  type ConnectorLogger,
  type ConnectorOptions,
  type ConnectorSettings,
  type ReadFrom,
  resolveSettings,
} from './connector-options.js';
import { dropNow } from './ioredis/client-internals.js';
import { nodeTrouble } from './node-errors.js';
import { RejoiningNodes } from './rejoining-nodes.js';
import { refuseSentinelOnly } from './sentinel-only.js';

export type ClusterLocation = Extract<Location, { kind: 'cluster' }>;

/** Payload of a cluster connector's `failover` event: slot ranges whose master changed, `[first, last]` each. */
export interface ClusterFailoverEvent {
  slots: [number, number][];
  from: NodeAddress;
  to: NodeAddress;
}

export interface ClusterConnectorEvents {
  failover: [ClusterFailoverEvent];
  /** One node's trouble, always a sentinel-kit error; never thrown. */
  error: [SentinelKitError];
}

interface Client {
  cluster: Cluster;
  guard: ClusterGuard;
  /** The master of every slot at the client's last slot refresh, as `host:port`. */
  masters: (string | undefined)[];
  /** The client's open node connections, by `host:port`. */
  nodes: Map<string, Set<Redis>>;
  /** Slot ranges whose last slot map named a master that only just lost them (a stale view). */
  inDoubt: [number, number][];
}

/**
 * Milliseconds after a node lost slots during which a slot map that names it their master again
 * is taken for a stale view (see `onRefresh`); later, for a failover back to it.
 */
const STALE_VIEW_MS = 1000;

const nodeKey = (redis: Redis): string => `${redis.options.host}:${redis.options.port}`;

/** Whether `command`'s slot lies in one of `ranges` (a command without keys never does). */
function inRanges(ranges: [number, number][], command: Command): boolean {
  if (ranges.length === 0) return false;
  // Typed as a number, but null for a command without keys.
  const slot: number | null = command.getSlot();
  return slot !== null && ranges.some(([first, last]) => slot >= first && slot <= last);
}

/** The slot ranges whose master differs between two slot maps, one entry per (old, new) master. */
function slotMoves(
  previous: (string | undefined)[],
  current: (string | undefined)[],
): ClusterFailoverEvent[] {
  const moves = new Map<string, ClusterFailoverEvent>();
  for (let slot = 0; slot < SLOTS; slot += 1) {
    const from = previous[slot];
    const to = current[slot];
    if (from === undefined || to === undefined || from === to) continue;
    const id = `${from}>${to}`;
    let move = moves.get(id);
    if (move === undefined) {
      move = { slots: [], from: parseNodeKey(from), to: parseNodeKey(to) };
      moves.set(id, move);
    }
    const last = move.slots[move.slots.length - 1];
    if (last !== undefined && last[1] === slot - 1) last[1] = slot;
    else move.slots.push([slot, slot]);
  }
  return [...moves.values()];
}

/**
 * The connections of one Redis Cluster: an ioredis `Cluster` for writes, and one per read policy
 * in use (ioredis's `scaleReads` is fixed per `Cluster`), each configured for failovers — short
 * capped reconnects, the slot map refreshed every `masterCheckInterval` ms, on MOVED and on every
 * retry, commands to a slot without a master retried (not failed) until the new master serves it,
 * and a `ClusterGuard` bounding every command by `queueTimeout` — and a `failover` event when a
 * slot range's master changes. The surface matches `Connector`: `master()`, `replica()`,
 * `sentinels()` (a typed error: a cluster has none), `close()`.
 */
export class ClusterConnector extends EventEmitter<ClusterConnectorEvents> {
  readonly location: ClusterLocation;
  readonly alias: string | undefined;
  readonly readFrom: ReadFrom;
  /** Equal for connectors that may share sockets; see `connectorKey`. */
  readonly key: string;

  private readonly options: ConnectorOptions;
  private readonly settings: ConnectorSettings;
  private readonly logger: ConnectorLogger | undefined;
  private readonly writer: Client;
  private readonly readers = new Map<ReadFrom, Client>();
  /** Old masters of moved slots, kept from replica reads until they have caught up. */
  private readonly rejoining: RejoiningNodes;
  /** Whether a client that cannot get ready is refused its TLS settings or credentials. */
  private readonly refusal: ClusterRefusal;
  /** When each node (`host:port`) last lost slots on any client's slot map, in ms since the epoch. */
  private readonly demotedAt = new Map<string, number>();
  /**
   * Troubles reported since the last slot refresh that succeeded: each once, where ioredis repeats
   * them for every node it tries, dozens of times a second while none answers.
   */
  private readonly reported = new Set<string>();
  private closed = false;

  constructor(options: ConnectorOptions) {
    super();
    const location = toLocation(options.location);
    if (location.kind !== 'cluster') {
      throw new UnsupportedLocationError('the cluster connector', location.kind, { alias: options.alias });
    }
    refuseSentinelOnly(options);
    this.location = location;
    this.options = options;
    this.alias = options.alias;
    this.logger = options.logger;
    this.key = connectorKey(options);
    this.settings = resolveSettings(options);
    this.readFrom = this.settings.readFrom;
    const credentials = {
      username: options.username ?? location.username,
      password: options.password ?? location.password,
      tls: tlsOptions(options, location),
    };
    this.rejoining = new RejoiningNodes(credentials);
    this.refusal = new ClusterRefusal(credentials, {
      alias: this.alias,
      timeoutMs: this.settings.socketConnectTimeout,
    });
    this.writer = this.open('master', 'master');
  }

  /** The client for writes: one ioredis `Cluster` for the connector's whole life, each slot's command on its master. */
  master(): Cluster {
    return this.writer.cluster;
  }

  /**
   * The client for reads under `readFrom` (default: the connector's): each slot's read goes to a
   * replica or its master as the policy says, per slot. `'master'` is the write client itself.
   */
  replica(readFrom: ReadFrom = this.readFrom): Cluster {
    if (readFrom === 'master' || this.closed) return this.writer.cluster;
    let reader = this.readers.get(readFrom);
    if (reader === undefined) {
      reader = this.open('replica', readFrom);
      this.readers.set(readFrom, reader);
    }
    return reader.cluster;
  }

  /** A cluster has no sentinels: always `NotSentinelLocationError`. */
  sentinels(): never {
    throw new NotSentinelLocationError({ alias: this.alias, kind: 'cluster' });
  }

  /**
   * Ends every socket and timer this connector opened. Every command still pending fails at once
   * with `ClosedError`, and so does every command sent on its clients afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rejoining.close();
    const error = new ClosedError('connector', { alias: this.alias, command: 'in flight' });
    for (const { cluster, guard } of [this.writer, ...this.readers.values()]) {
      guard.close(error);
      cluster.disconnect();
    }
  }

  private open(role: 'master' | 'replica', readFrom: ReadFrom): Client {
    const rejoining = (host: string | undefined, port: number | undefined) => this.rejoining.has(host, port);
    const cluster = new Cluster(
      this.location.nodes.map((n) => ({ host: n.host, port: n.port })),
      clusterOptions({
        location: this.location,
        options: this.options,
        settings: this.settings,
        readFrom,
        role: role === 'master' ? 'master' : `read-${readFrom}`,
        rejoining: (node) => rejoining(node.options.host, node.options.port),
      }),
    );
    const waitsForSlotReplica = readFrom === 'replica' ? waitsForReplica(cluster, rejoining) : undefined;
    const guard = new ClusterGuard(cluster, {
      role,
      queueTimeoutMs: this.settings.queueTimeout,
      alias: this.alias,
      // `client` is assigned below, before anything is sent.
      hold: (command) => inRanges(client.inDoubt, command) || waitsForSlotReplica?.(command) === true,
    });
    const onTrouble = (error: Error, node: NodeAddress | undefined) => {
      const trouble = nodeTrouble(error, { target: role, node, alias: this.alias });
      if (guard.everReady) {
        this.report(trouble);
        return;
      }
      // Refused, it was reported once; each command's rejection carries the refusal from then on.
      if (guard.refusing) return;
      void this.refusal.of(trouble, node).then((refusal) => {
        if (guard.refusing) return;
        if (refusal === undefined) {
          this.report(trouble);
          return;
        }
        guard.refuse(refusal);
        this.report(refusal);
      });
    };
    cluster.on('error', (error: Error) => onTrouble(error, undefined));
    cluster.on('node error', (error: Error, key: string) => onTrouble(error, parseNodeKey(key)));
    const client: Client = { cluster, guard, masters: [], nodes: new Map(), inDoubt: [] };
    cluster.on('+node', (redis: Redis) => {
      const key = nodeKey(redis);
      const open = client.nodes.get(key) ?? new Set<Redis>();
      open.add(redis);
      client.nodes.set(key, open);
    });
    cluster.on('-node', (redis: Redis) => client.nodes.get(nodeKey(redis))?.delete(redis));
    cluster.on('refresh', () => this.onRefresh(client));
    cluster.connect().catch(() => {});
    return client;
  }

  /**
   * After each slot refresh of one client: its connections to every node that lost slots are
   * dropped at once; on the write client, a `failover` event per (old master, new master).
   *
   * Why drop them: a node that lost its slots may be a master that froze and was replaced. When it
   * wakes it answers the commands still on its socket as the master it believes it still is, and
   * the new master never sees them: acknowledged writes that the cluster discards once the old node
   * learns it was demoted. ioredis only ends such a socket (still reading replies until it closes);
   * dropped now, its commands fail "Connection is closed" and ioredis sends them by the new map.
   *
   * A map that names as master a node that lost those slots less than {@link STALE_VIEW_MS} ago is
   * a stale view, not a failover back: ioredis takes the map of whichever node answers first, and
   * a node that has not yet heard of the promotion — the woken master above all — still names the
   * old one (seen within 25 ms of a promotion). The view is not recorded, the master that really
   * serves those slots keeps its connections, the slots' new commands are held (ioredis would send
   * them to the old master) and the map is asked for again at once, until a map names their master.
   */
  private onRefresh(client: Client): void {
    if (this.closed) return;
    this.reported.clear();
    const previous = client.masters;
    const current = client.cluster.slots.map((nodes) => nodes?.[0]);
    const moves: ClusterFailoverEvent[] = [];
    const inDoubt: [number, number][] = [];
    for (const move of previous.length === 0 ? [] : slotMoves(previous, current)) {
      const lostAt = this.demotedAt.get(`${move.to.host}:${move.to.port}`);
      if (lostAt !== undefined && Date.now() - lostAt < STALE_VIEW_MS) {
        for (const [first, last] of move.slots) {
          inDoubt.push([first, last]);
          for (let slot = first; slot <= last; slot += 1) current[slot] = previous[slot];
        }
        continue;
      }
      moves.push(move);
      const from = `${move.from.host}:${move.from.port}`;
      this.demotedAt.set(from, Date.now());
      for (const redis of client.nodes.get(from) ?? []) dropNow(redis);
    }
    client.masters = current;
    client.inDoubt = inDoubt;
    // ioredis emits 'refresh' before it clears its refreshing flag: ask again on the next tick.
    if (inDoubt.length > 0) process.nextTick(() => client.cluster.refreshSlotsCache());
    client.guard.release();
    if (client !== this.writer) return;
    for (const move of moves) {
      this.rejoining.add(move.from);
      this.log(
        'debug',
        `slots ${move.slots.map(([a, b]) => `${a}-${b}`).join(',')} moved to ${move.to.host}:${move.to.port}`,
      );
      this.emit('failover', move);
    }
  }

  /** One node's trouble: an `error` event when someone listens, else a log line; never thrown. Once per trouble between two slot refreshes. */
  private report(error: SentinelKitError): void {
    if (this.closed || this.reported.has(error.message)) return;
    this.reported.add(error.message);
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else this.log('warn', error.message);
  }

  private log(level: 'debug' | 'warn', message: string): void {
    const prefix = this.alias === undefined ? 'sentinel-kit' : `sentinel-kit[${this.alias}]`;
    this.logger?.[level]?.(`${prefix}: ${message}`);
  }
}

/** A cluster connector for one `redis+cluster://` location. */
export function createClusterConnector(options: ConnectorOptions): ClusterConnector {
  return new ClusterConnector(options);
}
