import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Cluster as ClusterClient, Redis } from 'ioredis';
import { ask, parseInfo } from './ask.js';
import { type ClusterNodeEntry, parseClusterNodes, servesSlot } from './cluster-nodes.js';
import { clusterNodeConfig } from './configs.js';
import { pollUntil } from './poll.js';
import { freePorts, retryOnPortClash } from './ports.js';
import { RedisNode } from './redis-node.js';
import { startTlsFiles, type TlsFiles } from './tls.js';

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** Masters, each serving an equal share of the 16384 slots. Default 3. */
  masters?: number;
  /** Replicas of each master. Default 1. */
  replicasPerMaster?: number;
  /** Every node's `requirepass` and `masterauth`. Default: none. */
  password?: string;
  /** `cluster-node-timeout`, in milliseconds. Default 1000 ms. */
  nodeTimeoutMs?: number;
  /** `cluster-require-full-coverage` (Redis's default is yes). Default true. */
  requireFullCoverage?: boolean;
  /**
   * How long start-up may take before it fails with the nodes' logs, in milliseconds. Default
   * 20000 ms: under a test's 30 s limit, so a start that cannot finish reports why.
   */
  startTimeoutMs?: number;
  /**
   * TLS only: every node listens on its `tls-port` alone (`port 0`), and the cluster bus and the
   * replication links are TLS too (`tls-cluster yes`), with a CA made in the temp dir. `location`
   * is then `rediss+cluster://` and `tls` the options that trust the CA. Default false.
   */
  tls?: boolean;
}

/** Defaults of {@link startCluster}. */
export const CLUSTER_DEFAULTS = {
  masters: 3,
  replicasPerMaster: 1,
  /** `cluster-node-timeout`, in milliseconds. */
  nodeTimeoutMs: 1000,
  requireFullCoverage: true,
  startTimeoutMs: 20_000,
  tls: false,
} as const;

type Settings = Required<Omit<ClusterOptions, 'password'>> & Pick<ClusterOptions, 'password'>;

/** A slot range's master changed: the node that serves it now, and when that was first seen (ms since epoch). */
export interface Promotion {
  from: RedisNode | undefined;
  to: RedisNode;
  at: number;
}

const SLOTS = 16384;

/**
 * A running Redis Cluster on loopback — `masters` masters, each with `replicasPerMaster` replicas —
 * with the controls failover tests need. Shard `i` is the `i`-th slot range ({@link slotRange});
 * "master `i`" is whichever node serves it now. Build it with {@link startCluster}; always `stop()`
 * it (an exit hook kills its pids if not).
 */
export class Cluster {
  private readonly clients = new Set<Redis | ClusterClient>();
  /** Paused masters by shard. A paused node is never asked anything: it would not answer. */
  private readonly paused = new Map<number, RedisNode>();

  constructor(
    private readonly settings: Settings,
    /** The temp directory that holds every node's directory. */
    readonly dir: string,
    /** Every node; `nodes[i]` for `i < masters` starts as master `i`, then each master's replicas in turn. */
    readonly nodes: RedisNode[],
    private readonly busPorts: number[],
    private readonly tlsFiles?: TlsFiles,
  ) {}

  /**
   * For a TLS cluster, the client TLS options that trust its CA (`{ ca }`): pass them as
   * sentinel-kit's `options.tls` or ioredis's `redisOptions.tls`. `undefined` for a plain one.
   */
  get tls(): ConnectionOptions | undefined {
    return this.tlsFiles === undefined ? undefined : { ca: this.tlsFiles.ca };
  }

  get password(): string | undefined {
    return this.settings.password;
  }

  get masters(): number {
    return this.settings.masters;
  }

  get nodeTimeoutMs(): number {
    return this.settings.nodeTimeoutMs;
  }

  /**
   * `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,…` (`rediss+cluster://` with `tls`) with every node
   * as a seed (the password is apart, in `password`).
   */
  get location(): string {
    const scheme = this.tlsFiles === undefined ? 'redis+cluster' : 'rediss+cluster';
    return `${scheme}://${this.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  }

  /** The slots of shard `i`, `[first, last]`. */
  slotRange(i: number): [number, number] {
    const { masters } = this.settings;
    if (!Number.isInteger(i) || i < 0 || i >= masters) {
      throw new Error(`There is no master ${i}: the cluster has masters 0 to ${masters - 1}`);
    }
    return [Math.floor((i * SLOTS) / masters), Math.floor(((i + 1) * SLOTS) / masters) - 1];
  }

  /** The shard that serves `slot`. */
  shardOf(slot: number): number {
    let shard = 0;
    while (shard < this.settings.masters - 1 && slot > this.slotRange(shard)[1]) shard += 1;
    return shard;
  }

  async start(): Promise<void> {
    const { settings } = this;
    for (const [i, node] of this.nodes.entries()) {
      await mkdir(node.dir, { recursive: true });
      await node.writeConfig(
        clusterNodeConfig({
          node,
          busPort: this.busPorts[i] as number,
          password: settings.password,
          nodeTimeoutMs: settings.nodeTimeoutMs,
          requireFullCoverage: settings.requireFullCoverage,
          tls: this.tlsFiles,
        }),
      );
    }
    const deadline = Date.now() + settings.startTimeoutMs;
    const remaining = () => Math.max(1, deadline - Date.now());
    await Promise.all(this.nodes.map((n) => n.start()));
    await Promise.all(
      this.nodes.map((n) =>
        pollUntil(async () => (await this.ask(n, 'PING')) === 'PONG', {
          description: `${n.name} (port ${n.port}) to answer PING`,
          timeoutMs: remaining(),
        }),
      ),
    );
    const ids = await Promise.all(this.nodes.map(async (n) => String(await this.ask(n, 'CLUSTER', 'MYID'))));
    for (let i = 0; i < settings.masters; i += 1) {
      const [first, last] = this.slotRange(i);
      await this.ask(this.nodes[i] as RedisNode, 'CLUSTER', 'ADDSLOTSRANGE', first, last);
    }
    const [seed, ...others] = this.nodes as [RedisNode, ...RedisNode[]];
    // The bus port is named: the default (data port + 10000) is not the one each node listens on.
    const seedBus = this.busPorts[0] as number;
    await Promise.all(others.map((n) => this.ask(n, 'CLUSTER', 'MEET', seed.host, seed.port, seedBus)));
    await this.waitForAll('to know every node', remaining(), async (n) => {
      const info = parseInfo(String(await this.ask(n, 'CLUSTER', 'INFO')));
      return Number(info.cluster_known_nodes) === this.nodes.length;
    });
    for (const [r, replica] of this.nodes.slice(settings.masters).entries()) {
      const masterId = ids[Math.floor(r / settings.replicasPerMaster)] as string;
      // A replica may not have heard of its master's slots yet: "Unknown node" until gossip arrives.
      await pollUntil(async () => (await this.ask(replica, 'CLUSTER', 'REPLICATE', masterId)) === 'OK', {
        description: `${replica.name} (port ${replica.port}) to accept CLUSTER REPLICATE`,
        timeoutMs: remaining(),
      });
    }
    await this.waitForAll(
      'to agree on the layout, with every slot served and every replica linked',
      remaining(),
      (n) => this.settled(n, ids),
    );
  }

  /** One node sees the layout `start()` built: state ok, every slot assigned, every replica linked. */
  private async settled(node: RedisNode, ids: string[]): Promise<boolean> {
    const info = parseInfo(String(await this.ask(node, 'CLUSTER', 'INFO')));
    if (info.cluster_state !== 'ok' || Number(info.cluster_slots_assigned) !== SLOTS) return false;
    const view = await this.view(node);
    const { masters, replicasPerMaster } = this.settings;
    const layoutSeen = this.nodes.every((_node, i) => {
      const entry = view.find((e) => e.id === ids[i]);
      if (entry === undefined || entry.flags.some((f) => f.startsWith('fail') || f === 'handshake'))
        return false;
      if (i < masters) return entry.flags.includes('master');
      return (
        entry.flags.includes('slave') && entry.masterId === ids[Math.floor((i - masters) / replicasPerMaster)]
      );
    });
    if (!layoutSeen) return false;
    // CLUSTER SLOTS, where clients learn the layout, lists a replica only once its replication
    // offset is known to be past 0: until then a client would read every slot from its master.
    const ranges = (await this.ask(node, 'CLUSTER', 'SLOTS')) as unknown[][];
    if (!ranges.every((range) => range.length - 3 === replicasPerMaster)) return false;
    if (this.nodes.indexOf(node) < masters) return true;
    const replication = parseInfo(String(await this.ask(node, 'INFO', 'replication')));
    return replication.master_link_status === 'up';
  }

  private async waitForAll(
    what: string,
    timeoutMs: number,
    probe: (node: RedisNode) => Promise<boolean>,
  ): Promise<void> {
    await Promise.all(
      this.nodes.map((n) =>
        pollUntil(() => probe(n), { description: `${n.name} (port ${n.port}) ${what}`, timeoutMs }),
      ),
    );
  }

  /** One command to `node`; a node that has exited ends the poll that asks it (see {@link RedisNode.assertRunning}). */
  private async ask(node: RedisNode, command: string, ...args: (string | number)[]): Promise<unknown> {
    node.assertRunning();
    const target = { host: node.host, port: node.port, password: this.settings.password, tls: this.tls };
    return ask(target, command, ...args);
  }

  /** `CLUSTER NODES` as `node` sees it. */
  async view(node: RedisNode): Promise<ClusterNodeEntry[]> {
    return parseClusterNodes(String(await this.ask(node, 'CLUSTER', 'NODES')));
  }

  /** Nodes that run and are not paused: the ones that can answer. */
  private answering(): RedisNode[] {
    const paused = new Set(this.paused.values());
    return this.nodes.filter((n) => !n.stopped && !paused.has(n));
  }

  private byPort(port: number): RedisNode | undefined {
    return this.nodes.find((n) => n.port === port);
  }

  /**
   * What the answering nodes say serves shard `i`: each node's vote, by port. A node that does not
   * answer in time casts none.
   */
  private async votes(i: number): Promise<Map<number, number>> {
    const [first] = this.slotRange(i);
    const votes = new Map<number, number>();
    await Promise.all(
      this.answering().map(async (n) => {
        const entry = (await this.view(n).catch(() => [])).find((e) => servesSlot(e, first));
        if (entry !== undefined) votes.set(entry.port, (votes.get(entry.port) ?? 0) + 1);
      }),
    );
    return votes;
  }

  /** The node that serves shard `i` now, as most answering nodes see it. */
  async master(i: number): Promise<RedisNode> {
    const votes = [...(await this.votes(i)).entries()].sort((a, b) => b[1] - a[1]);
    const node = votes[0] === undefined ? undefined : this.byPort(votes[0][0]);
    if (node === undefined)
      throw new Error(`No answering node names a master of slots ${this.slotRange(i).join('-')}`);
    return node;
  }

  /** The replicas of master `i`, as that master sees them (flagged failing ones left out). */
  async replicasOf(i: number): Promise<RedisNode[]> {
    const master = await this.master(i);
    const view = await this.view(master);
    const id = view.find((e) => e.flags.includes('myself'))?.id;
    return view
      .filter((e) => e.masterId === id && !e.flags.some((f) => f.startsWith('fail')))
      .map((e) => this.byPort(e.port))
      .filter((n): n is RedisNode => n !== undefined && !n.stopped);
  }

  /** SIGKILLs master `i` and returns it. */
  async killMaster(i: number): Promise<RedisNode> {
    const master = await this.master(i);
    await master.kill();
    return master;
  }

  /** SIGSTOPs master `i`: its sockets stay open but it answers nothing. */
  async pauseMaster(i: number): Promise<RedisNode> {
    const master = await this.master(i);
    master.signal('SIGSTOP');
    this.paused.set(i, master);
    return master;
  }

  /** SIGCONTs the node {@link pauseMaster} paused for shard `i`. */
  resumeMaster(i: number): RedisNode | undefined {
    const paused = this.paused.get(i);
    paused?.signal('SIGCONT');
    this.paused.delete(i);
    return paused;
  }

  /**
   * A graceful, manual failover of shard `i` (`CLUSTER FAILOVER` on one of its replicas): resolves
   * once the replica says it is master and every answering node agrees.
   */
  async failover(i: number): Promise<Promotion> {
    const from = await this.master(i);
    const [replica] = await this.replicasOf(i);
    if (replica === undefined)
      throw new Error(`Master ${i} (port ${from.port}) has no replica to fail over to`);
    await this.ask(replica, 'CLUSTER', 'FAILOVER');
    return this.waitForMaster(i, { not: from });
  }

  /**
   * Resolves once every answering node names the same master for shard `i`, other than `not` (the
   * one killed or paused), and it reports `cluster_state:ok`: the promotion, and when it was seen.
   */
  async waitForMaster(i: number, options: { not?: RedisNode; timeoutMs?: number } = {}): Promise<Promotion> {
    const { not, timeoutMs = 30_000 } = options;
    const to = await pollUntil(
      async () => {
        const votes = await this.votes(i);
        const [port, count] = [...votes.entries()][0] ?? [];
        const node = port === undefined ? undefined : this.byPort(port);
        if (node === undefined || node === not || votes.size !== 1 || count !== this.answering().length)
          return false;
        const info = parseInfo(String(await this.ask(node, 'CLUSTER', 'INFO')));
        return info.cluster_state === 'ok' ? node : false;
      },
      {
        description: `every answering node to name a new master of slots ${this.slotRange(i).join('-')}`,
        timeoutMs,
        intervalMs: 10,
      },
    );
    return { from: not, to, at: Date.now() };
  }

  /** An ioredis client to one node, for looking at its data directly. Closed by {@link stop}. */
  client(node: RedisNode): Redis {
    const client = new Redis({
      host: node.host,
      port: node.port,
      password: this.settings.password,
      tls: this.tls,
      maxRetriesPerRequest: 3,
    });
    client.on('error', () => {});
    this.clients.add(client);
    return client;
  }

  /** An ioredis `Cluster` on every node, for tests to read and write across slots. Closed by {@link stop}. */
  clusterClient(): ClusterClient {
    const client = new ClusterClient(
      this.nodes.map((n) => ({ host: n.host, port: n.port })),
      { redisOptions: { password: this.settings.password, tls: this.tls } },
    );
    client.on('error', () => {});
    this.clients.add(client);
    return client;
  }

  /** Closes every client, kills every process (paused ones too) and removes the temp directory. */
  async stop(): Promise<void> {
    for (const client of this.clients) client.disconnect();
    this.clients.clear();
    this.paused.clear();
    await Promise.all(this.nodes.map((n) => n.kill()));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The last log lines of every node, for a failure message. */
  async logs(): Promise<string> {
    const tails = await Promise.all(
      this.nodes.map(async (n) => `--- ${n.name} (port ${n.port})\n${await n.logTail()}`),
    );
    return tails.join('\n');
  }
}

/**
 * Starts a Redis Cluster from the `redis-server` binary (`REDIS_SERVER_BIN`, e.g. valkey-server)
 * with `--cluster-enabled yes` on free loopback ports in a temp directory: assigns each master its
 * slot range (`CLUSTER ADDSLOTSRANGE`), joins the nodes (`CLUSTER MEET`), attaches the replicas
 * (`CLUSTER REPLICATE`), and resolves once every node reports `cluster_state:ok` with all 16384
 * slots assigned, sees the whole layout, and every replica is linked. A failed start stops what it
 * started and reports the nodes' logs.
 */
export function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  return retryOnPortClash(() => startClusterOnce(options));
}

async function startClusterOnce(options: ClusterOptions): Promise<Cluster> {
  const settings: Settings = {
    masters: options.masters ?? CLUSTER_DEFAULTS.masters,
    replicasPerMaster: options.replicasPerMaster ?? CLUSTER_DEFAULTS.replicasPerMaster,
    nodeTimeoutMs: options.nodeTimeoutMs ?? CLUSTER_DEFAULTS.nodeTimeoutMs,
    requireFullCoverage: options.requireFullCoverage ?? CLUSTER_DEFAULTS.requireFullCoverage,
    startTimeoutMs: options.startTimeoutMs ?? CLUSTER_DEFAULTS.startTimeoutMs,
    tls: options.tls ?? CLUSTER_DEFAULTS.tls,
    password: options.password,
  };
  if (!Number.isInteger(settings.masters) || settings.masters < 1) {
    throw new Error(`startCluster: "masters" must be a whole number ≥ 1, not ${settings.masters}`);
  }
  const count = settings.masters * (1 + settings.replicasPerMaster);
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-kit-cluster-'));
  const tlsFiles = settings.tls ? await startTlsFiles(dir) : undefined;
  const ports = await freePorts(2 * count);
  const nodes = ports
    .slice(0, count)
    .map((port, i) => new RedisNode(`node-${i}`, port, join(dir, `node-${i}`), 'data'));
  const cluster = new Cluster(settings, dir, nodes, ports.slice(count), tlsFiles);
  try {
    await cluster.start();
  } catch (error) {
    const logs = await cluster.logs();
    await cluster.stop();
    throw new Error(`The cluster did not start: ${(error as Error).message}\n${logs}`, { cause: error });
  }
  return cluster;
}
