import { exists, hasFlag } from '@ioredis/commands';
import type { Cluster, ClusterOptions, Command, Redis } from 'ioredis';
import type { Location } from '../location/location.js';
import { parseNodeKey } from '../shared/node-key.js';
import { tlsOptions } from './client-options.js';
import type { ConnectorOptions, ConnectorSettings, ReadFrom } from './connector-options.js';

type ClusterLocation = Extract<Location, { kind: 'cluster' }>;

/**
 * Milliseconds between two tries of a command the cluster cannot serve yet: `CLUSTERDOWN` (a slot
 * range without a master, which with `cluster-require-full-coverage` every slot answers), `TRYAGAIN`
 * (a slot in migration) and a node whose connection closed. ioredis's 100 ms would add up to 100 ms
 * after the promotion; its slot refresh runs on each try.
 */
export const CLUSTER_RETRY_MS = 25;

/**
 * Milliseconds one node has to answer `CLUSTER SLOTS` (on a new connection of ioredis's: connect,
 * AUTH, the command) before the next is asked (ioredis: 1000). That takes a millisecond or two on a
 * live node; a node that takes longer is frozen or drowning. ioredis asks the nodes in a random
 * order, so a refresh after a SIGSTOP often asks the frozen master first: with 300 ms here, writes
 * resumed up to 361 ms after the promotion (bench/RESULTS.md, "Failover on a Redis Cluster"). A live
 * node slower than this only means the next one is asked.
 */
const SLOTS_REFRESH_TIMEOUT_MS = 100;

/**
 * Milliseconds a node socket left behind (its node no longer holds slots) may take to close before
 * it is destroyed (ioredis: 2000). A frozen node never answers the FIN, and the commands that were
 * awaiting its replies are retried on the slots' new master only once the socket is gone.
 */
const DISCONNECT_TIMEOUT_MS = 20;

/**
 * ioredis's `scaleReads` for a read policy: which node of a slot (ioredis lists its master first,
 * then its replicas) serves a read. A node counts as usable unless its connection is down: one not
 * opened yet (`wait`) opens on the read it is given. A replica `rejoining` says is still catching up
 * (an old master come back) serves no reads.
 */
export function scaleReadsFor(
  readFrom: ReadFrom,
  rejoining: (node: Redis) => boolean = () => false,
): ClusterOptions['scaleReads'] {
  if (readFrom === 'master') return 'master';
  const usable = (node: Redis | undefined) =>
    node !== undefined && (node.status === 'ready' || node.status === 'wait' || node.status === 'connecting');
  return (nodes: (Redis | undefined)[]) => {
    const [master, ...replicas] = nodes;
    if (readFrom === 'replica') {
      // Any replica but those catching up. A slot with none never gets here (`waitsForReplica`
      // holds its reads); the master only serves when ioredis has no connection for one yet.
      const listed = replicas.filter((node): node is Redis => node !== undefined && !rejoining(node));
      return listed.length > 0 ? listed : master;
    }
    const replica = replicas.filter((node) => usable(node) && !rejoining(node as Redis));
    if (readFrom === 'masterPreferred') return usable(master) || replica.length === 0 ? master : replica;
    return replica.length > 0 ? replica : master;
  };
}

/**
 * For `readFrom: 'replica'`: whether `command`, sent now, would be a read of a slot that no replica
 * can serve — none listed in the slot map, or only ones `rejoining` says are catching up. ioredis
 * would send such a read to the master; the policy says it waits for a replica instead, as the
 * sentinel connector's replica client does (see `ClusterGuard`). A slot ioredis has no map for yet
 * is not held: ioredis queues the command until the first map arrives.
 */
export function waitsForReplica(
  cluster: Cluster,
  rejoining: (host: string, port: number) => boolean,
): (command: Command) => boolean {
  return (command) => {
    if (!(exists(command.name) && hasFlag(command.name, 'readonly'))) return false;
    // Typed as a number, but null for a command without keys.
    const slot: number | null = command.getSlot();
    const nodes = slot === null ? undefined : cluster.slots[slot];
    if (nodes === undefined) return false;
    return nodes.slice(1).every((key) => {
      const { host, port } = parseNodeKey(key);
      return rejoining(host, port);
    });
  };
}

/**
 * How many redirections and retries one command may take before ioredis fails it ("Too many Cluster
 * redirections"), from `queueTimeout`: a command waiting for a slot's new master is tried about
 * every {@link CLUSTER_RETRY_MS} (and redirected once per try while the old master's address is
 * still in the slot map), so this lets it wait about `queueTimeout`; the connector's own deadline
 * is the exact bound.
 */
export const maxRedirectionsFor = (queueTimeoutMs: number): number =>
  16 + 2 * Math.ceil(queueTimeoutMs / CLUSTER_RETRY_MS);

/**
 * The ioredis `Cluster` options of one cluster connector client. Every node gets the connector's
 * credentials, TLS and bounded connect; the slot map is refreshed every `masterCheckInterval` ms,
 * on every MOVED and on every retry; a command waits, retried, while its slot has no master.
 */
export function clusterOptions(input: {
  location: ClusterLocation;
  options: ConnectorOptions;
  settings: ConnectorSettings;
  readFrom: ReadFrom;
  role: string;
  /** Replicas that must serve no reads yet (see `RejoiningNodes`). */
  rejoining?: (node: Redis) => boolean;
}): ClusterOptions {
  const { location, options, settings } = input;
  const maxDelay = settings.maxReconnectDelay;
  return {
    redisOptions: {
      username: options.username ?? location.username,
      password: options.password ?? location.password,
      tls: tlsOptions(options, location),
      connectTimeout: settings.socketConnectTimeout,
      socketTimeout: options.socketTimeout,
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
      connectionName: `sentinel-kit:${(options.alias ?? 'connector').replace(/\s/g, '_')}:${input.role}`,
    },
    // Every node unreachable at once: short, capped and jittered, like the sentinel connector's.
    clusterRetryStrategy: (times) => Math.round(Math.min(times * 25, maxDelay) * (0.5 + Math.random() / 2)),
    scaleReads: scaleReadsFor(input.readFrom, input.rejoining),
    maxRedirections: maxRedirectionsFor(settings.queueTimeout),
    retryDelayOnMoved: 0,
    retryDelayOnFailover: CLUSTER_RETRY_MS,
    retryDelayOnClusterDown: CLUSTER_RETRY_MS,
    retryDelayOnTryAgain: CLUSTER_RETRY_MS,
    slotsRefreshTimeout: SLOTS_REFRESH_TIMEOUT_MS,
    slotsRefreshInterval: settings.masterCheckInterval,
    natMap: options.natMap,
    enableOfflineQueue: true,
    // The connector connects once its guard is in front of `sendCommand`.
    lazyConnect: true,
  };
}
