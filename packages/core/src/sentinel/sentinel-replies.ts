/**
 * Typed views of the replies of `SENTINEL MASTER`, `SENTINEL REPLICAS` and `SENTINEL SENTINELS`.
 * Sentinel answers with flat `[field, value, …]` lists (RESP2) or maps (RESP3); numbers arrive as
 * text. Every field is also kept verbatim in `raw`, so fields of newer Redis versions stay reachable.
 */

/** Fields every sentinel-monitored instance reports. */
export interface SentinelInstanceInfo {
  name: string;
  ip: string;
  port: number;
  runId: string;
  /** e.g. `['master']`, `['slave', 's_down']`, `['sentinel']`. */
  flags: string[];
  /** Milliseconds since the last ping was acknowledged by this instance. */
  lastOkPingReplyMs: number;
  /** Every field as the sentinel sent it. */
  raw: Record<string, string>;
}

/** `SENTINEL MASTER <name>`. */
export interface SentinelMasterInfo extends SentinelInstanceInfo {
  roleReported: string;
  configEpoch: number;
  numSlaves: number;
  numOtherSentinels: number;
  quorum: number;
  /** Milliseconds. */
  downAfterMilliseconds: number;
  /** Milliseconds. */
  failoverTimeout: number;
  parallelSyncs: number;
}

/** One entry of `SENTINEL REPLICAS <name>`. */
export interface SentinelReplicaInfo extends SentinelInstanceInfo {
  /** `'ok'` or `'err'`: whether the replica's link to its master is up. */
  masterLinkStatus: string;
  /** Milliseconds the replica's link to its master has been down; 0 when up. */
  masterLinkDownTimeMs: number;
  masterHost: string;
  masterPort: number;
  slavePriority: number;
  /** Replication offset in bytes, as the replica last reported it. */
  slaveReplOffset: number;
}

/** One entry of `SENTINEL SENTINELS <name>` (the other sentinels, not the one asked). */
export interface SentinelPeerInfo extends SentinelInstanceInfo {
  /** Milliseconds since this sentinel's last hello message. */
  lastHelloMessageMs: number;
  votedLeader: string;
  votedLeaderEpoch: number;
}

/** `[k1, v1, k2, v2]` or `{ k1: v1 }` → a record of strings. */
export function toRecord(reply: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) record[String(reply[i])] = String(reply[i + 1]);
  } else if (reply !== null && typeof reply === 'object') {
    for (const [key, value] of Object.entries(reply)) record[key] = String(value);
  }
  return record;
}

const num = (raw: Record<string, string>, field: string): number => {
  const value = Number(raw[field]);
  return Number.isFinite(value) ? value : 0;
};

const instance = (raw: Record<string, string>): SentinelInstanceInfo => ({
  name: raw.name ?? '',
  ip: raw.ip ?? '',
  port: num(raw, 'port'),
  runId: raw.runid ?? '',
  flags: (raw.flags ?? '').split(',').filter((flag) => flag !== ''),
  lastOkPingReplyMs: num(raw, 'last-ok-ping-reply'),
  raw,
});

export function parseMasterInfo(reply: unknown): SentinelMasterInfo {
  const raw = toRecord(reply);
  return {
    ...instance(raw),
    roleReported: raw['role-reported'] ?? '',
    configEpoch: num(raw, 'config-epoch'),
    numSlaves: num(raw, 'num-slaves'),
    numOtherSentinels: num(raw, 'num-other-sentinels'),
    quorum: num(raw, 'quorum'),
    downAfterMilliseconds: num(raw, 'down-after-milliseconds'),
    failoverTimeout: num(raw, 'failover-timeout'),
    parallelSyncs: num(raw, 'parallel-syncs'),
  };
}

export function parseReplicaInfo(reply: unknown): SentinelReplicaInfo {
  const raw = toRecord(reply);
  return {
    ...instance(raw),
    masterLinkStatus: raw['master-link-status'] ?? '',
    masterLinkDownTimeMs: num(raw, 'master-link-down-time'),
    masterHost: raw['master-host'] ?? '',
    masterPort: num(raw, 'master-port'),
    slavePriority: num(raw, 'slave-priority'),
    slaveReplOffset: num(raw, 'slave-repl-offset'),
  };
}

export function parsePeerInfo(reply: unknown): SentinelPeerInfo {
  const raw = toRecord(reply);
  return {
    ...instance(raw),
    lastHelloMessageMs: num(raw, 'last-hello-message'),
    votedLeader: raw['voted-leader'] ?? '',
    votedLeaderEpoch: num(raw, 'voted-leader-epoch'),
  };
}

/** A list reply (`SENTINEL REPLICAS`, `SENTINEL SENTINELS`) → one parsed entry per instance. */
export function parseList<T>(reply: unknown, parse: (entry: unknown) => T): T[] {
  return Array.isArray(reply) ? reply.map(parse) : [];
}
