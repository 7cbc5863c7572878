import { Inject, Injectable } from '@nestjs/common';
import { ClusterConnector, type QuorumCheck, type SentinelReplicaInfo } from '@sentinel-kit/core';
import { CachesService } from './caches.service.js';
import { DEFAULT_CACHE_ALIAS } from './sentinel-cache.constants.js';

export interface SentinelHealthOptions {
  /** The cache alias whose topology is checked. @default 'default' */
  alias?: string;
  /**
   * Fewest replicas the sentinels must report online (not `s_down`/`o_down`/`disconnected`) for
   * "up". The default does not fail the app for lost redundancy alone: a health check that restarts
   * pods because a replica is down makes things worse. @default 0
   */
  minReplicas?: number;
  /** Milliseconds the whole check may take before it reports "down" (a paused master never answers). @default 2000 */
  timeoutMs?: number;
}

/** The details under the indicator's key; `status` is what @nestjs/terminus reads. */
export interface SentinelHealthDetails {
  status: 'up' | 'down';
  alias: string;
  /** The master the sentinels name, and what `ROLE` on the cache's write client answered. */
  master?: { address: string; role: string };
  /** Replicas the sentinels know, and those of them online. */
  replicas?: { online: number; known: number };
  quorum?: QuorumCheck;
  /** For a Redis Cluster alias: `CLUSTER INFO`'s state, slots served and nodes known. */
  cluster?: { state: string; slotsOk: number; knownNodes: number };
  /** Why the status is "down". */
  reason?: string;
}

/** The shape of @nestjs/terminus's `HealthIndicatorResult`, without importing the optional peer. */
export type SentinelHealthResult = Record<string, SentinelHealthDetails>;

const OFFLINE_FLAGS = ['s_down', 'o_down', 'disconnected'];
const DEFAULT_TIMEOUT_MS = 2000;

class HealthCheckTimeout extends Error {}

/**
 * A @nestjs/terminus health indicator (structurally: terminus needs no import of it here, so it
 * stays an optional peer). Up when the master the sentinels name answers `ROLE` with `master`, at
 * least `minReplicas` replicas are online, and `SENTINEL CKQUORUM` is OK. A one-server location
 * (no sentinels) checks the role only; a Redis Cluster alias, that `CLUSTER INFO` reports
 * `cluster_state:ok`. A "down" result is returned, never thrown.
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.redis.isHealthy('redis', { alias: 'default' })]); }
 * ```
 */
@Injectable()
export class SentinelHealthIndicator {
  constructor(@Inject(CachesService) private readonly caches: CachesService) {}

  async isHealthy(key = 'redis', options: SentinelHealthOptions = {}): Promise<SentinelHealthResult> {
    const alias = options.alias ?? DEFAULT_CACHE_ALIAS;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HealthCheckTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return { [key]: await Promise.race([this.check(alias, options.minReplicas ?? 0), timeout]) };
    } catch (err) {
      return { [key]: { status: 'down', alias, reason: err instanceof Error ? err.message : String(err) } };
    } finally {
      clearTimeout(timer);
    }
  }

  private async check(alias: string, minReplicas: number): Promise<SentinelHealthDetails> {
    const connector = this.caches.registry.connector(alias);
    if (connector instanceof ClusterConnector) return this.checkCluster(alias, connector.master());
    const roleReply = connector.master().call('ROLE') as Promise<unknown[]>;
    const { location } = connector;
    if (location.kind !== 'sentinel') {
      const role = String((await roleReply)[0]);
      const address = 'host' in location ? `${location.host}:${location.port}` : location.path;
      const details: SentinelHealthDetails = {
        status: role === 'master' ? 'up' : 'down',
        alias,
        master: { address, role },
      };
      if (role !== 'master') details.reason = `the server answers ROLE with "${role}", not "master"`;
      return details;
    }
    const admin = connector.sentinels();
    const [reply, address, replicas, quorum] = await Promise.all([
      roleReply,
      admin.masterAddress(),
      admin.replicas(),
      admin.ckquorum(),
    ]);
    const role = String(reply[0]);
    const online = replicas.filter(
      (r: SentinelReplicaInfo) => !r.flags.some((f: string) => OFFLINE_FLAGS.includes(f)),
    );
    const details: SentinelHealthDetails = {
      status: 'up',
      alias,
      master: { address: `${address.host}:${address.port}`, role },
      replicas: { online: online.length, known: replicas.length },
      quorum,
    };
    const problems: string[] = [];
    if (role !== 'master')
      problems.push(`the write client's server answers ROLE with "${role}", not "master"`);
    if (online.length < minReplicas)
      problems.push(`${online.length} replica(s) online, fewer than minReplicas ${minReplicas}`);
    if (!quorum.ok) problems.push(`CKQUORUM: ${quorum.message}`);
    if (problems.length > 0) {
      details.status = 'down';
      details.reason = problems.join('; ');
    }
    return details;
  }

  /** A cluster alias is up when the node asked reports `cluster_state:ok`: every slot has a master. */
  private async checkCluster(
    alias: string,
    client: ReturnType<ClusterConnector['master']>,
  ): Promise<SentinelHealthDetails> {
    const text = String(await client.call('CLUSTER', 'INFO'));
    const field = (name: string) => new RegExp(`^${name}:(\\S+)`, 'm').exec(text)?.[1] ?? '';
    const state = field('cluster_state');
    const details: SentinelHealthDetails = {
      status: state === 'ok' ? 'up' : 'down',
      alias,
      cluster: {
        state,
        slotsOk: Number(field('cluster_slots_ok')),
        knownNodes: Number(field('cluster_known_nodes')),
      },
    };
    if (state !== 'ok') details.reason = `CLUSTER INFO reports cluster_state:${state}`;
    return details;
  }
}
