import { type NodeAddress, type NodeRole, probeRole, type QuorumCheck } from '@sentinel-kit/core';
import type { Target } from './target.js';

const DOWN_FLAGS = ['s_down', 'o_down', 'disconnected'];

export interface MasterReport extends NodeAddress {
  flags: string[];
  /** What the node itself says through ROLE; null when it could not be asked. */
  role: string | null;
  /** Why ROLE could not be asked. */
  roleError?: string;
  /** True when the node the sentinels name answers ROLE with `master`. */
  verified: boolean;
  /** The master's replication offset in bytes, from ROLE. */
  offset: number | null;
}

export interface ReplicaReport extends NodeAddress {
  flags: string[];
  linkStatus: string;
  /** Replication offset in bytes: the master's ROLE view when it lists this replica, else the sentinel's. */
  offset: number;
  /** Bytes the replica is behind the master; null when the master's offset is unknown. */
  lagBytes: number | null;
  online: boolean;
}

export interface SentinelReport extends NodeAddress {
  flags: string[];
  /** The sentinel that answered this report. */
  answered: boolean;
}

/** Everything `status` shows and `check` judges, also the `--json` shape of `status`. */
export interface TopologyReport {
  masterName: string;
  master: MasterReport;
  replicas: ReplicaReport[];
  sentinels: SentinelReport[];
  quorum: number;
  ckquorum: QuorumCheck;
  /** Milliseconds. */
  downAfterMs: number;
  /** Milliseconds. */
  failoverTimeoutMs: number;
  parallelSyncs: number;
  configEpoch: number;
}

const isDown = (flags: string[]) => flags.some((flag) => DOWN_FLAGS.includes(flag));

/** Asks the sentinels (in turn) and the master they name (ROLE) for the state of the deployment. */
export async function collectReport(target: Target): Promise<TopologyReport> {
  const { admin } = target;
  const info = await admin.master();
  const [replicas, peers, ckquorum] = await Promise.all([
    admin.replicas(),
    admin.sentinels(),
    admin.ckquorum(),
  ]);
  const answered = admin.currentSentinel;
  const address = admin.translate({ host: info.ip, port: info.port });

  let role: NodeRole | undefined;
  let roleError: string | undefined;
  try {
    role = await probeRole(address, target.dataNode);
  } catch (err) {
    roleError = (err as Error).message;
  }
  const masterOffset = role?.role === 'master' ? role.offset : null;

  return {
    masterName: info.name,
    master: {
      ...address,
      flags: info.flags,
      role: role?.role ?? null,
      ...(roleError === undefined ? {} : { roleError }),
      verified: role?.role === 'master',
      offset: masterOffset,
    },
    replicas: replicas.map((replica) => {
      const seen = role?.replicas.find((r) => r.port === replica.port && r.host === replica.ip);
      const offset = seen?.offset ?? replica.slaveReplOffset;
      return {
        ...admin.translate({ host: replica.ip, port: replica.port }),
        flags: replica.flags,
        linkStatus: replica.masterLinkStatus,
        offset,
        lagBytes: masterOffset === null ? null : Math.max(0, masterOffset - offset),
        online: !isDown(replica.flags) && replica.masterLinkStatus === 'ok',
      };
    }),
    sentinels: [
      { ...answered, flags: ['sentinel'], answered: true },
      ...peers.map((peer) => ({ host: peer.ip, port: peer.port, flags: peer.flags, answered: false })),
    ],
    quorum: info.quorum,
    ckquorum,
    downAfterMs: info.downAfterMilliseconds,
    failoverTimeoutMs: info.failoverTimeout,
    parallelSyncs: info.parallelSyncs,
    configEpoch: info.configEpoch,
  };
}

/** One line per reason the deployment is not healthy; empty when it is. */
export function findProblems(report: TopologyReport): string[] {
  const problems: string[] = [];
  const master = `${report.master.host}:${report.master.port}`;
  if (isDown(report.master.flags))
    problems.push(`master ${master} is flagged ${report.master.flags.join(',')}`);
  if (report.master.roleError !== undefined) {
    problems.push(`master ${master} cannot be asked its role: ${report.master.roleError}`);
  } else if (!report.master.verified) {
    problems.push(`master ${master} reports role "${report.master.role}", not master`);
  }
  if (!report.ckquorum.ok) problems.push(`quorum: ${report.ckquorum.message}`);
  const online = report.replicas.filter((r) => r.online).length;
  if (online === 0)
    problems.push(`no replica online (${report.replicas.length} known, none with a live link)`);
  return problems;
}
