import { type NodeAddress, type ProbeRoleOptions, parseLocation, SentinelAdmin } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';
import { UsageError } from './usage-error.js';

/** The deployment a command works on: a SentinelAdmin plus how to reach the data nodes. */
export interface Target {
  admin: SentinelAdmin;
  masterName: string;
  sentinels: NodeAddress[];
  /** Credentials and timeout for `probeRole` on data nodes. */
  dataNode: ProbeRoleOptions;
}

/**
 * Parses the location and opens a SentinelAdmin on its sentinels. Data-node credentials: the
 * `--password`/`--username` flags, else the environment, else the location URL's own.
 */
export function openTarget(args: CliArgs): Target {
  const location = parseLocation(args.location);
  if (location.kind !== 'sentinel') {
    throw new UsageError(
      `"${args.command}" needs a sentinel location (mymaster/host:26379,…/0 or redis+sentinel://…); ` +
        `this one names ${location.kind === 'cluster' ? 'a Redis Cluster, which the CLI does not support yet' : 'a single server'}`,
    );
  }
  const admin = new SentinelAdmin({
    sentinels: location.sentinels,
    masterName: location.masterName,
    sentinelUsername: args.sentinelUsername,
    sentinelPassword: args.sentinelPassword,
    sentinelTimeout: args.timeoutMs,
  });
  return {
    admin,
    masterName: location.masterName,
    sentinels: location.sentinels,
    dataNode: {
      username: args.username ?? location.username,
      password: args.password ?? location.password,
      tls: location.tls,
      timeoutMs: args.timeoutMs,
    },
  };
}
