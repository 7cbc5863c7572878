import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import { ask, pairs, parseInfo } from './ask.js';
import { dataNodeConfig, sentinelConfig } from './configs.js';
import { TOPOLOGY_DEFAULTS } from './defaults.js';
import { pollUntil } from './poll.js';
import { freePorts, retryOnPortClash } from './ports.js';
import { RedisNode } from './redis-node.js';
import { SentinelEventLog, type SwitchEvent } from './sentinel-event-log.js';
import { startTlsFiles, type TlsFiles } from './tls.js';

/** Options of {@link startTopology}. Every one has the default in {@link TOPOLOGY_DEFAULTS}. */
export interface TopologyOptions {
  /** The name the sentinels monitor. Default `'mymaster'`. */
  masterName?: string;
  /** Replicas of the master. Default 2. */
  replicas?: number;
  /** Sentinels. Default 3. */
  sentinels?: number;
  /** Sentinels that must agree the master is down. Default: a majority of `sentinels`. */
  quorum?: number;
  /** Sentinel `down-after-milliseconds`, in milliseconds. Default 1000 ms (2000 ms with `tls`). */
  downAfterMs?: number;
  /** Sentinel `failover-timeout`, in milliseconds. Default 5000 ms (a failed attempt is retried after twice this). */
  failoverTimeoutMs?: number;
  /** Data nodes' `requirepass`/`masterauth`. Default: none. */
  password?: string;
  /** Sentinels' own `requirepass`. Default: none. */
  sentinelPassword?: string;
  /** The master's `min-replicas-to-write`. Default 0 (off). */
  minReplicasToWrite?: number;
  /** How long start-up may take before it fails with the nodes' logs, in milliseconds. Default 20000 ms. */
  startTimeoutMs?: number;
  /**
   * TLS only: every data node and sentinel listens on its `tls-port` alone (`port 0`) and opens its
   * own links (replication, sentinel to node, sentinel to sentinel) over TLS, with a CA and a server
   * certificate for 127.0.0.1/localhost made by `openssl` in the temp directory. `location` is then
   * the `rediss+sentinel://` URL and `tls` the options that trust the CA. Default false.
   */
  tls?: boolean;
}

type Settings = Required<Omit<TopologyOptions, 'password' | 'sentinelPassword'>> &
  Pick<TopologyOptions, 'password' | 'sentinelPassword'>;

/**
 * A running master + replicas + sentinels on loopback, with the controls failover tests need.
 * Build it with {@link startTopology}; always `stop()` it (an exit hook kills its pids if not).
 */
export class Topology {
  private readonly clients = new Set<Redis>();
  private readonly events: SentinelEventLog;
  private paused: RedisNode | undefined;

  constructor(
    private readonly settings: Settings,
    /** The temp directory that holds every node's directory. */
    readonly dir: string,
    /** Data nodes; `nodes[0]` starts as the master. */
    readonly nodes: RedisNode[],
    readonly sentinels: RedisNode[],
    /** For a TLS topology: the CA, certificate and key files every node uses. */
    readonly tlsFiles?: TlsFiles,
  ) {
    this.events = new SentinelEventLog(sentinels, settings.sentinelPassword, this.tls);
  }

  /**
   * For a TLS topology, the client TLS options that trust its CA (`{ ca }`): pass them as
   * sentinel-kit's `options.tls` or ioredis's `tls`/`sentinelTLS`. `undefined` for a plain one.
   */
  get tls(): ConnectionOptions | undefined {
    return this.tlsFiles === undefined ? undefined : { ca: this.tlsFiles.ca };
  }

  /** For a TLS topology, its CA certificate (PEM). */
  get ca(): string | undefined {
    return this.tlsFiles?.ca;
  }

  get masterName(): string {
    return this.settings.masterName;
  }

  get password(): string | undefined {
    return this.settings.password;
  }

  get sentinelPassword(): string | undefined {
    return this.settings.sentinelPassword;
  }

  /**
   * The location of db 0: `mymaster/127.0.0.1:p1,127.0.0.1:p2/0` (django-redis-sentinel form), or
   * for a TLS topology `rediss+sentinel://127.0.0.1:p1,127.0.0.1:p2/mymaster/0`.
   */
  get location(): string {
    return this.locationFor(0);
  }

  /** The location of `db`, in the form {@link location} describes. */
  locationFor(db: number): string {
    const hosts = this.sentinels.map((s) => `${s.host}:${s.port}`).join(',');
    if (this.tlsFiles !== undefined) return `rediss+sentinel://${hosts}/${this.masterName}/${db}`;
    return `${this.masterName}/${hosts}/${db}`;
  }

  async start(): Promise<void> {
    const { settings } = this;
    const [master, ...replicas] = this.nodes as [RedisNode, ...RedisNode[]];
    for (const node of this.nodes) {
      await mkdir(node.dir, { recursive: true });
      await node.writeConfig(
        dataNodeConfig({
          node,
          password: settings.password,
          replicaOf: node === master ? undefined : master,
          minReplicasToWrite: node === master ? settings.minReplicasToWrite : 0,
          tls: this.tlsFiles,
        }),
      );
    }
    for (const node of this.sentinels) {
      await mkdir(node.dir, { recursive: true });
      await node.writeConfig(
        sentinelConfig({ node, master, ...settings, password: settings.password, tls: this.tlsFiles }),
      );
    }
    const deadline = Date.now() + settings.startTimeoutMs;
    const remaining = () => Math.max(1, deadline - Date.now());
    await Promise.all(this.nodes.map((n) => n.start()));
    await Promise.all(replicas.map((replica) => this.waitForLink(replica, master, remaining())));
    // Sentinels start only once replicas are linked: the master's first INFO then lists them all,
    // instead of the sentinel learning of them on its next 10 s INFO round.
    await Promise.all(this.sentinels.map((s) => s.start()));
    await Promise.all(this.sentinels.map((s) => this.waitForSentinelView(s, remaining())));
    await this.events.open();
  }

  private async waitForLink(replica: RedisNode, master: RedisNode, timeoutMs: number): Promise<void> {
    await pollUntil(
      async () => {
        replica.assertRunning();
        master.assertRunning();
        const info = parseInfo(String(await ask(this.target(replica), 'INFO', 'replication')));
        return info.master_link_status === 'up';
      },
      { description: `${replica.name} (port ${replica.port}) to link to its master`, timeoutMs },
    );
  }

  private async waitForSentinelView(sentinel: RedisNode, timeoutMs: number): Promise<void> {
    const target = this.sentinelTarget(sentinel);
    await pollUntil(
      async () => {
        sentinel.assertRunning();
        const replicas = (await ask(target, 'SENTINEL', 'REPLICAS', this.masterName)) as unknown[];
        const peers = (await ask(target, 'SENTINEL', 'SENTINELS', this.masterName)) as unknown[];
        const healthy = replicas.map(pairs).filter((r) => !/s_down|disconnected/.test(r.flags ?? ''));
        return healthy.length === this.nodes.length - 1 && peers.length === this.sentinels.length - 1;
      },
      {
        description: `${sentinel.name} (port ${sentinel.port}) to see every replica and sentinel`,
        timeoutMs,
      },
    );
  }

  private target(node: RedisNode) {
    return { host: node.host, port: node.port, password: this.settings.password, tls: this.tls };
  }

  private sentinelTarget(node: RedisNode) {
    return { host: node.host, port: node.port, password: this.settings.sentinelPassword, tls: this.tls };
  }

  /** The data node the sentinels name as master now (the first sentinel that answers). */
  async master(): Promise<RedisNode> {
    const errors: unknown[] = [];
    for (const sentinel of this.sentinels) {
      try {
        const reply = (await ask(
          this.sentinelTarget(sentinel),
          'SENTINEL',
          'GET-MASTER-ADDR-BY-NAME',
          this.masterName,
        )) as [string, string];
        const port = Number(reply[1]);
        const node = this.nodes.find((n) => n.port === port);
        if (node) return node;
      } catch (error) {
        errors.push(error);
      }
    }
    throw new AggregateError(errors, `No sentinel of ${this.masterName} named a known master`);
  }

  /** The running data nodes that are not the master now. */
  async replicas(): Promise<RedisNode[]> {
    const master = await this.master();
    return this.nodes.filter((n) => n !== master && !n.stopped);
  }

  /** SIGKILLs the current master and returns it. */
  async killMaster(): Promise<RedisNode> {
    const master = await this.master();
    await master.kill();
    return master;
  }

  /** SIGSTOPs the current master: its sockets stay open but it answers nothing. */
  async pauseMaster(): Promise<RedisNode> {
    const master = await this.master();
    master.signal('SIGSTOP');
    this.paused = master;
    return master;
  }

  /** SIGCONTs the master paused by {@link pauseMaster}. */
  async resumeMaster(): Promise<RedisNode | undefined> {
    const paused = this.paused;
    paused?.signal('SIGCONT');
    this.paused = undefined;
    return paused;
  }

  /**
   * Asks a sentinel for a graceful failover (`SENTINEL FAILOVER`). Retried while the sentinels
   * still have no replica they consider promotable (`NOGOODSLAVE`) or one is already under way.
   */
  async failover(): Promise<void> {
    await pollUntil(
      async () => {
        for (const sentinel of this.sentinels) {
          if (sentinel.stopped) continue;
          try {
            return (
              (await ask(this.sentinelTarget(sentinel), 'SENTINEL', 'FAILOVER', this.masterName)) === 'OK'
            );
          } catch (error) {
            if (!/NOGOODSLAVE|INPROG/.test(String(error))) throw error;
            return false;
          }
        }
        return false;
      },
      { description: `a sentinel to accept SENTINEL FAILOVER ${this.masterName}`, timeoutMs: 15_000 },
    );
  }

  /**
   * Waits until every running replica holds all the master had written when this was called, and
   * every running sentinel has read that offset from each replica. Sentinels promote the replica
   * with the highest offset they last read (INFO every 10 s, every second during a failover): a
   * failover fired while a rejoined replica is still catching up, or while the sentinels still hold
   * its offset from before, can promote a replica that lacks acknowledged writes. That is Redis's
   * asynchronous replication, which a test of back-to-back failovers has to wait out between them.
   */
  async waitForReplicasInSync(options: { timeoutMs?: number } = {}): Promise<void> {
    const master = await this.master();
    const written = Number(
      parseInfo(String(await ask(this.target(master), 'INFO', 'replication'))).master_repl_offset,
    );
    const replicas = this.nodes.filter((n) => n !== master && !n.stopped);
    const ports = new Set(replicas.map((r) => String(r.port)));
    await pollUntil(
      async () => {
        for (const replica of replicas) {
          const info = parseInfo(String(await ask(this.target(replica), 'INFO', 'replication')));
          if (info.master_link_status !== 'up' || Number(info.slave_repl_offset) < written) return false;
        }
        for (const sentinel of this.sentinels) {
          if (sentinel.stopped) continue;
          const seen = (
            (await ask(this.sentinelTarget(sentinel), 'SENTINEL', 'REPLICAS', this.masterName)) as unknown[]
          )
            .map(pairs)
            .filter((r) => ports.has(r.port ?? '') && Number(r['slave-repl-offset']) >= written);
          if (seen.length < replicas.length) return false;
        }
        return true;
      },
      {
        description: `every replica of ${master.name} and every sentinel's view of it to reach offset ${written}`,
        timeoutMs: options.timeoutMs ?? 30_000,
      },
    );
  }

  /**
   * Resolves on the first `+switch-master` any sentinel publishes after this call, with the new
   * master's address and when it was seen (ms since epoch). Call it before the trigger.
   */
  waitForSwitch(options: { timeoutMs?: number } = {}): Promise<SwitchEvent> {
    return this.events.nextSwitch(options.timeoutMs ?? 30_000);
  }

  /** Every event the sentinels published since start (`+sdown`, `+switch-master`, …). */
  get sentinelEvents() {
    return this.events.all;
  }

  /** SIGKILLs one node (data node or sentinel). */
  async stopNode(node: RedisNode): Promise<void> {
    await node.kill();
  }

  /** Starts a stopped node again on its port, with its (possibly rewritten) config; waits for PING. */
  async restartNode(node: RedisNode): Promise<void> {
    await node.start();
    const target = node.kind === 'sentinel' ? this.sentinelTarget(node) : this.target(node);
    await pollUntil(
      async () => {
        node.assertRunning();
        return (await ask(target, 'PING')) === 'PONG';
      },
      {
        description: `${node.name} (port ${node.port}) to answer PING after a restart`,
      },
    );
  }

  /**
   * An ioredis client for tests to look at data directly: to `node`, or with `'master'` one that
   * follows the sentinels to whichever node is master. Closed by {@link stop}.
   */
  client(node: RedisNode | 'master', options: { db?: number } = {}): Redis {
    const { tls } = this;
    const common = { password: this.settings.password, db: options.db ?? 0, maxRetriesPerRequest: 3, tls };
    const client =
      node === 'master'
        ? new Redis({
            ...common,
            name: this.masterName,
            sentinels: this.sentinels.map((s) => ({ host: s.host, port: s.port })),
            sentinelPassword: this.settings.sentinelPassword,
            sentinelTLS: tls,
            enableTLSForSentinelMode: tls !== undefined,
          })
        : new Redis({ ...common, host: node.host, port: node.port });
    client.on('error', () => {});
    this.clients.add(client);
    return client;
  }

  /** Closes every client, kills every process (paused ones too) and removes the temp directory. */
  async stop(): Promise<void> {
    for (const client of this.clients) client.disconnect();
    this.clients.clear();
    this.events.close();
    await Promise.all([...this.nodes, ...this.sentinels].map((n) => n.kill()));
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The last log lines of every node, for a failure message. */
  async logs(): Promise<string> {
    const all = [...this.nodes, ...this.sentinels];
    const tails = await Promise.all(
      all.map(async (n) => `--- ${n.name} (port ${n.port})\n${await n.logTail()}`),
    );
    return tails.join('\n');
  }
}

/**
 * `down-after-milliseconds` of a TLS topology unless set. Measured on Redis 7.0 and Valkey 8.0: over
 * TLS a sentinel counts a node's replies about one ping period (1 s) late, so with 1000 ms it flags
 * a killed master down within milliseconds and, right after a switch, the new master too: 5 of 12
 * kill -9 runs on Valkey, and one on Redis, ended in a second failover. At 2000 ms none of 12 did.
 */
const TLS_DOWN_AFTER_MS = 2000;

/**
 * Starts a master, its replicas and the sentinels from the `redis-server` binary on free loopback
 * ports in a temp directory, and resolves once every replica is linked and every sentinel sees every
 * replica and every other sentinel. A failed start stops what it started and reports the nodes' logs;
 * one that failed because another process took a port is tried again on fresh ports.
 */
export function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  return retryOnPortClash(() => startTopologyOnce(options));
}

async function startTopologyOnce(options: TopologyOptions): Promise<Topology> {
  const sentinels = options.sentinels ?? TOPOLOGY_DEFAULTS.sentinels;
  const settings: Settings = {
    masterName: options.masterName ?? TOPOLOGY_DEFAULTS.masterName,
    replicas: options.replicas ?? TOPOLOGY_DEFAULTS.replicas,
    sentinels,
    quorum: options.quorum ?? Math.floor(sentinels / 2) + 1,
    downAfterMs: options.downAfterMs ?? (options.tls ? TLS_DOWN_AFTER_MS : TOPOLOGY_DEFAULTS.downAfterMs),
    failoverTimeoutMs: options.failoverTimeoutMs ?? TOPOLOGY_DEFAULTS.failoverTimeoutMs,
    minReplicasToWrite: options.minReplicasToWrite ?? TOPOLOGY_DEFAULTS.minReplicasToWrite,
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
    tls: options.tls ?? false,
    password: options.password,
    sentinelPassword: options.sentinelPassword,
  };
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-kit-'));
  const tlsFiles = settings.tls ? await startTlsFiles(dir) : undefined;
  const ports = await freePorts(1 + settings.replicas + settings.sentinels);
  const nodes = ports
    .slice(0, 1 + settings.replicas)
    .map((port, i) => new RedisNode(`node-${i}`, port, join(dir, `node-${i}`), 'data'));
  const sentinelNodes = ports
    .slice(1 + settings.replicas)
    .map((port, i) => new RedisNode(`sentinel-${i}`, port, join(dir, `sentinel-${i}`), 'sentinel'));
  const topology = new Topology(settings, dir, nodes, sentinelNodes, tlsFiles);
  try {
    await topology.start();
  } catch (error) {
    const logs = await topology.logs();
    await topology.stop();
    throw new Error(`The topology did not start: ${(error as Error).message}\n${logs}`, { cause: error });
  }
  return topology;
}
