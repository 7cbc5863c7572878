import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClusterReport } from '@sentinel-kit/cli';
import { parseLocation, probeRole, SentinelAdmin } from '@sentinel-kit/core';
import { CLUSTER_DEFAULTS, freePorts, pollUntil, RedisNode, TOPOLOGY_DEFAULTS } from '@sentinel-kit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ComposeService,
  commandArgs,
  flagValues,
  inClusterProfile,
  interpolate,
  isDataNode,
  isSentinel,
  readCompose,
  sentinelConf,
} from './compose-file.js';
import { runCli } from './run-cli.js';

/**
 * docker-compose.yml runs with min-replicas-to-write 1, as a production topology should (a master
 * that lost every replica refuses writes); the testkit defaults to 0 so tests that stop replicas
 * still write, and tests that want it pass `minReplicasToWrite`.
 */
const COMPOSE_MIN_REPLICAS_TO_WRITE = 1;

const services = readCompose();
const entries = Object.entries(services);
const dataNodes = entries.filter(([, s]) => isDataNode(s) && !inClusterProfile(s));
const sentinels = entries.filter(([, s]) => isSentinel(s));
const replicas = dataNodes.filter(([, s]) => flagValues(commandArgs(s), '--replicaof') !== undefined);
const [masterEntry] = dataNodes.filter(([, s]) => flagValues(commandArgs(s), '--replicaof') === undefined);
const portOf = (s: ComposeService) => Number(flagValues(commandArgs(s), '--port')?.[0]);
const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** A data node's command line as a redis.conf (`--flag a b` → `flag "a" "b"`), its ports moved. */
function serverConf(service: ComposeService, onFreePorts: (text: string) => string): string {
  const args = commandArgs(service).slice(1);
  const lines: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const values = flagValues(args, args[i] as string) ?? [];
    lines.push(`${(args[i] as string).slice(2)} ${values.map((v) => quote(onFreePorts(v))).join(' ')}`);
    i += values.length;
  }
  return lines.join('\n');
}

/** Moves every 4-5 digit number that is a key of `remap` (a compose port) to its free port. */
const portMover = (remap: Map<string, string>) => (text: string) =>
  text.replace(/\b\d{4,5}\b/g, (port) => remap.get(port) ?? port);

describe('docker-compose.yml describes the testkit topology', () => {
  it('has one master, the default number of replicas of it, and the default number of sentinels', () => {
    expect(masterEntry).toBeDefined();
    expect(dataNodes).toHaveLength(1 + TOPOLOGY_DEFAULTS.replicas);
    expect(replicas).toHaveLength(TOPOLOGY_DEFAULTS.replicas);
    const masterPort = portOf(masterEntry?.[1] ?? {});
    for (const [, replica] of replicas) {
      expect(flagValues(commandArgs(replica), '--replicaof')).toEqual(['127.0.0.1', String(masterPort)]);
    }
    expect(sentinels).toHaveLength(TOPOLOGY_DEFAULTS.sentinels);
  });

  it("gives the sentinels the testkit's master name, quorum, down-after and failover-timeout", () => {
    for (const [, sentinel] of sentinels) {
      const conf = sentinelConf(sentinel);
      const name = TOPOLOGY_DEFAULTS.masterName;
      const port = portOf(masterEntry?.[1] ?? {});
      expect(conf).toContain(`sentinel monitor ${name} 127.0.0.1 ${port} ${TOPOLOGY_DEFAULTS.quorum}\n`);
      expect(conf).toContain(`sentinel down-after-milliseconds ${name} ${TOPOLOGY_DEFAULTS.downAfterMs}\n`);
      expect(conf).toContain(`sentinel failover-timeout ${name} ${TOPOLOGY_DEFAULTS.failoverTimeoutMs}\n`);
      expect(conf).not.toContain('<unset');
    }
  });

  it(`sets min-replicas-to-write ${COMPOSE_MIN_REPLICAS_TO_WRITE} on every data node, so a promoted replica enforces it too`, () => {
    expect(COMPOSE_MIN_REPLICAS_TO_WRITE).toBeLessThanOrEqual(TOPOLOGY_DEFAULTS.replicas);
    for (const [, node] of dataNodes) {
      expect(flagValues(commandArgs(node), '--min-replicas-to-write')).toEqual([
        String(COMPOSE_MIN_REPLICAS_TO_WRITE),
      ]);
    }
  });

  it('protects data nodes and sentinels with passwords and announces addresses reachable from the host', () => {
    for (const [, node] of dataNodes) {
      const args = commandArgs(node);
      expect(flagValues(args, '--requirepass')?.[0]).not.toBe('');
      expect(flagValues(args, '--masterauth')).toEqual(flagValues(args, '--requirepass'));
      expect(flagValues(args, '--replica-announce-ip')).toEqual(['127.0.0.1']);
      expect(node.network_mode).toBe('host');
    }
    for (const [, sentinel] of sentinels) {
      const conf = sentinelConf(sentinel);
      expect(conf).toMatch(/^requirepass "[^"]+"$/m);
      expect(conf).toMatch(/^sentinel auth-pass mymaster "[^"]+"$/m);
      expect(conf).toContain('sentinel announce-ip 127.0.0.1\n');
      expect(sentinel.network_mode).toBe('host');
    }
  });

  it('health-checks every Redis service, and starts the demos once the sentinels are healthy', () => {
    for (const [, service] of [...dataNodes, ...sentinels])
      expect(service.healthcheck?.test[0]).toBe('CMD-SHELL');
    for (const app of ['express-demo', 'nest-demo']) {
      const demo = services[app];
      expect(demo?.build?.args?.APP).toBe(app);
      for (const [name] of sentinels) expect(demo?.depends_on?.[name]?.condition).toBe('service_healthy');
      const location = parseLocation(interpolate(demo?.environment?.CACHES_DEFAULT_LOCATION ?? ''));
      expect(location).toMatchObject({ kind: 'sentinel', masterName: TOPOLOGY_DEFAULTS.masterName, db: 0 });
      if (location.kind !== 'sentinel') throw new Error('not a sentinel location');
      expect(location.sentinels.map((s) => s.port)).toEqual(
        sentinels.map(([, s]) => Number(s.environment?.SENTINEL_PORT)),
      );
    }
  });
});

describe("docker-compose.yml's configuration runs on redis-server as it is", () => {
  const nodes: RedisNode[] = [];
  let dir: string | undefined;
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('boots the data nodes and sentinels from the compose settings (on free ports) into a quorum', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sentinel-kit-compose-'));
    const composePorts = [
      ...dataNodes.map(([, s]) => portOf(s)),
      ...sentinels.map(([, s]) => Number(s.environment?.SENTINEL_PORT)),
    ];
    const free = await freePorts(composePorts.length);
    const remap = new Map(composePorts.map((port, i) => [String(port), String(free[i])]));
    const onFreePorts = portMover(remap);

    const start = async (name: string, port: number, kind: 'data' | 'sentinel', conf: string) => {
      const node = new RedisNode(name, port, join(dir as string, name), kind);
      await mkdir(node.dir, { recursive: true });
      await node.writeConfig(`${conf}\ndir ${quote(node.dir)}\nlogfile ${quote(node.logFile)}\n`);
      nodes.push(node);
      await node.start();
      return node;
    };
    for (const [name, service] of dataNodes) {
      const conf = serverConf(service, onFreePorts);
      await start(name, Number(remap.get(String(portOf(service)))), 'data', conf);
    }
    for (const [name, service] of sentinels) {
      const port = Number(remap.get(String(service.environment?.SENTINEL_PORT)));
      await start(name, port, 'sentinel', onFreePorts(sentinelConf(service)));
    }

    const sentinelPort = (i: number) =>
      Number(remap.get(String(sentinels[i]?.[1].environment?.SENTINEL_PORT)));
    const admin = new SentinelAdmin({
      sentinels: sentinels.map((_, i) => ({ host: '127.0.0.1', port: sentinelPort(i) })),
      masterName: TOPOLOGY_DEFAULTS.masterName,
      sentinelPassword: interpolate(services['sentinel-1']?.environment?.SENTINEL_PASSWORD ?? ''),
    });
    try {
      await pollUntil(
        async () => (await admin.ckquorum()).ok && (await admin.master()).numOtherSentinels === 2,
        {
          description: 'the compose sentinels to find each other and reach quorum',
          timeoutMs: 20_000,
          intervalMs: 100,
        },
      );
      const master = await admin.master();
      expect(master).toMatchObject({
        quorum: TOPOLOGY_DEFAULTS.quorum,
        downAfterMilliseconds: TOPOLOGY_DEFAULTS.downAfterMs,
        failoverTimeout: TOPOLOGY_DEFAULTS.failoverTimeoutMs,
        port: Number(remap.get(String(portOf(masterEntry?.[1] ?? {})))),
      });
      const password = flagValues(commandArgs(masterEntry?.[1] ?? {}), '--requirepass')?.[0];
      const role = await pollUntil(
        async () => {
          const r = await probeRole({ host: master.ip, port: master.port }, { password });
          return r.replicas.length === TOPOLOGY_DEFAULTS.replicas ? r : undefined;
        },
        { description: 'both replicas to connect with the compose masterauth' },
      );
      expect(role.role).toBe('master');
    } finally {
      await admin.close();
    }
  });
});

const clusterNodes = entries.filter(([, s]) => isDataNode(s) && inClusterProfile(s));
const clusterInit = services['cluster-init'];
/** The init script's `redis-cli --cluster create` line, split into arguments. */
const initScript = (): string =>
  interpolate(Array.isArray(clusterInit?.command) ? (clusterInit.command[2] ?? '') : '');
const createArgs = (): string[] => {
  const script = initScript();
  const line = script.split('\n').find((l) => l.includes('--cluster create')) ?? '';
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
};
const clusterFlag = (s: ComposeService, flag: string) => flagValues(commandArgs(s), flag)?.[0];

describe("docker-compose.yml's cluster profile describes the testkit's cluster", () => {
  const { masters, replicasPerMaster, nodeTimeoutMs } = CLUSTER_DEFAULTS;

  it(`has ${masters * (1 + replicasPerMaster)} cluster-enabled nodes, only in the profile, each announcing 127.0.0.1, its port and bus port`, () => {
    expect(clusterNodes).toHaveLength(masters * (1 + replicasPerMaster));
    for (const [, node] of clusterNodes) {
      const port = portOf(node);
      expect(clusterFlag(node, '--cluster-enabled')).toBe('yes');
      expect(clusterFlag(node, '--cluster-announce-ip')).toBe('127.0.0.1');
      expect(clusterFlag(node, '--cluster-announce-port')).toBe(String(port));
      expect(clusterFlag(node, '--cluster-announce-bus-port')).toBe(clusterFlag(node, '--cluster-port'));
      expect(clusterFlag(node, '--cluster-config-file')).toBe(`nodes-${port}.conf`);
      expect(clusterFlag(node, '--cluster-node-timeout')).toBe(String(nodeTimeoutMs));
      expect(node.environment?.REDIS_PORT).toBe(String(port));
      expect(clusterFlag(node, '--requirepass')).not.toBe('');
      expect(clusterFlag(node, '--masterauth')).toBe(clusterFlag(node, '--requirepass'));
      expect(node.network_mode).toBe('host');
      expect(node.healthcheck?.test[0]).toBe('CMD-SHELL');
    }
    const ports = entries.flatMap(([, s]) =>
      isDataNode(s)
        ? [portOf(s), Number(clusterFlag(s, '--cluster-port') ?? 0)]
        : [Number(s.environment?.SENTINEL_PORT ?? 0)],
    );
    const used = ports.filter((p) => p > 0);
    expect(new Set(used).size).toBe(used.length);
  });

  it('creates the cluster once every node is healthy, from exactly those nodes, with the testkit replica count', () => {
    expect(clusterInit?.profiles).toEqual(['cluster']);
    expect(clusterInit?.restart).toBe('no');
    for (const [name] of clusterNodes)
      expect(clusterInit?.depends_on?.[name]?.condition).toBe('service_healthy');
    const args = createArgs();
    expect(flagValues(args, '--cluster')).toEqual([
      'create',
      ...clusterNodes.map(([, s]) => `127.0.0.1:${portOf(s)}`),
    ]);
    expect(flagValues(args, '--cluster-replicas')).toEqual([String(replicasPerMaster)]);
    expect(args).toContain('--cluster-yes');
    const password = interpolate(clusterInit?.environment?.REDIS_PASSWORD ?? '');
    for (const [, node] of clusterNodes) expect(clusterFlag(node, '--requirepass')).toBe(password);
  });
});

/** Runs the init script as the container would; a failure shows what redis-cli said. */
async function runScript(script: string, password: string): Promise<void> {
  try {
    await promisify(execFile)('sh', ['-c', script], {
      // The container's environment: what compose sets, nothing of the test runner's.
      env: { PATH: process.env.PATH, REDIS_PASSWORD: password },
      timeout: 30_000,
    });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`The init script failed:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: err });
  }
}

describe("docker-compose.yml's cluster profile runs on redis-server and redis-cli as it is", () => {
  const nodes: RedisNode[] = [];
  let dir: string | undefined;
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('boots the nodes from the compose settings (on free ports), creates the cluster with the init script, and check says healthy', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sentinel-kit-compose-cluster-'));
    const composePorts = clusterNodes.flatMap(([, s]) => [
      portOf(s),
      Number(clusterFlag(s, '--cluster-port')),
    ]);
    const free = await freePorts(composePorts.length);
    const remap = new Map(composePorts.map((port, i) => [String(port), String(free[i])]));
    const onFreePorts = portMover(remap);
    for (const [name, service] of clusterNodes) {
      const node = new RedisNode(name, Number(remap.get(String(portOf(service)))), join(dir, name), 'data');
      await mkdir(node.dir, { recursive: true });
      const conf = serverConf(service, onFreePorts);
      await node.writeConfig(`${conf}\ndir ${quote(node.dir)}\nlogfile ${quote(node.logFile)}\n`);
      nodes.push(node);
      await node.start();
    }
    const script = onFreePorts(initScript());
    const password = interpolate(clusterInit?.environment?.REDIS_PASSWORD ?? '');
    // What depends_on's service_healthy waits for: every node answers (redis-cli counts a node it
    // cannot ask as "not empty" and refuses to create the cluster).
    for (const node of nodes) {
      await pollUntil(() => probeRole(node, { password }).then(() => true), {
        description: `${node.name} to answer`,
      });
    }
    await runScript(script, password);
    const location = `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;
    const healthy = await pollUntil(
      async () => {
        const result = await runCli(['check', location, '--password', password]);
        return result.code === 0 ? result : undefined;
      },
      { description: 'the compose cluster to be healthy', timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(healthy.stdout).toBe('healthy\n');
    const status = await runCli(['status', location, '--json', '--password', password]);
    const report = JSON.parse(status.stdout) as ClusterReport;
    expect(report.masters).toHaveLength(CLUSTER_DEFAULTS.masters);
    expect(report.masters.every((m) => m.replicas.length === CLUSTER_DEFAULTS.replicasPerMaster)).toBe(true);
    // Run again (compose up on a cluster made before), the init script leaves it alone.
    await runScript(script, password);
  });
});
