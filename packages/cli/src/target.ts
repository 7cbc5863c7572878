import { type Location, type NodeAddress, type ProbeRoleOptions, SentinelAdmin } from '@sentinel-kit/core';
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
 * Opens a SentinelAdmin on the location's sentinels (a cluster location goes to `openClusterTarget`).
 * Data-node credentials: the `--password`/`--username` flags, else the environment, else the
 * location URL's own.
 */
export function openTarget(args: CliArgs, location: Location): Target {
  if (location.kind !== 'sentinel') {
    throw new UsageError(
      `"${args.command}" needs a sentinel location (mymaster/host:26379,…/0 or redis+sentinel://…) ` +
        'or a cluster location (redis+cluster://host:7000,…); this one names a single server',
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
