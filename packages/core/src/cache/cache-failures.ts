import { isDriverConnectionFailure, isReplyError } from '../connector/ioredis/driver-messages.js';
import { CacheCommandError, CacheConnectionError, type ErrorCode, isSentinelKitError } from '../errors.js';
import { BurstLog, type BurstLogger } from '../shared/burst-log.js';

/**
 * Connector error codes that mean "no node could serve this now", not "misconfigured". `ERR_CLOSED`
 * is not one: a call after `close()` is a mistake of the caller, which `ignoreExceptions` must not hide.
 */
const CONNECTION_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_ALL_SENTINELS_UNREACHABLE',
  'ERR_NODE_UNAVAILABLE',
  'ERR_NOREPLICAS',
  'ERR_READONLY_NODE',
  'ERR_MASTER_DEMOTED',
  'ERR_OUTCOME_UNKNOWN',
  'ERR_CACHE_CONNECTION',
]);

/** Replies a node gives while it cannot serve (a failover, a restart), not because of the command. */
const TRANSIENT_REPLY = /^(READONLY|LOADING|MASTERDOWN|NOREPLICAS|TRYAGAIN|BUSY|CLUSTERDOWN)\b/;

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** True for an error that says the connection failed, whatever layer raised it. */
export function isConnectionFailure(error: unknown): boolean {
  if (isSentinelKitError(error)) return CONNECTION_CODES.has(error.code);
  if (!(error instanceof Error)) return false;
  if (isReplyError(error)) return TRANSIENT_REPLY.test(error.message);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return isDriverConnectionFailure(error);
}

/**
 * The typed error a failed Redis call of cache `alias` surfaces as. Our own errors pass through,
 * relabelled for `alias` when they name another cache (a connector shared with the cache that
 * opened it), so the message names the cache whose call failed; connection failures become `CacheConnectionError`, other Redis
 * replies `CacheCommandError`; anything else is a bug in the caller or in this library and is
 * rethrown unchanged. `ignorable`: the cache has `ignoreExceptions` off and this call is one that
 * option would turn into a miss, so the message may suggest it.
 */
export function toCacheError(
  error: unknown,
  command: string,
  alias: string | undefined,
  ignorable = false,
): unknown {
  if (isSentinelKitError(error)) {
    const other = alias !== undefined && error.alias !== undefined && error.alias !== alias;
    return other ? error.forAlias(alias) : error;
  }
  if (isConnectionFailure(error))
    return new CacheConnectionError(command, { alias, cause: error, ignorable });
  if (isReplyError(error)) return new CacheCommandError(command, { alias, cause: error });
  return error;
}

/** The first line of a burst of failures that `ignoreExceptions` swallows. */
export function ignoredFailureLine(alias: string | undefined, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return `sentinel-kit cache${alias === undefined ? '' : ` "${alias}"`}: ignoring connection failures (ignoreExceptions) until a command succeeds: ${reason}`;
}

/** The cache's burst log: one line when failures start being ignored, one when commands succeed again. */
export function ignoredFailuresLog(logger: BurstLogger, alias: string | undefined): BurstLog {
  return new BurstLog(
    logger,
    (failures) =>
      `sentinel-kit cache${alias === undefined ? '' : ` "${alias}"`}: commands succeed again after ${failures} ignored failure(s)`,
  );
}
