import type { ConnectorLogger } from './connector-options.js';
import { CacheCommandError, CacheConnectionError, SentinelKitError } from './errors.js';

/** Connector error codes that mean "no node could serve this now", not "misconfigured". */
const CONNECTION_CODES = new Set([
  'ERR_ALL_SENTINELS_UNREACHABLE',
  'ERR_NODE_UNAVAILABLE',
  'ERR_NOREPLICAS',
  'ERR_READONLY_NODE',
  'ERR_MASTER_DEMOTED',
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

const DRIVER_CONNECTION_MESSAGE =
  /Connection is closed|Stream isn't writeable|Command timed out|max retries per request|Connection timeout|connect ETIMEDOUT|All sentinels are unreachable/i;

/** True for an error that says the connection failed, whatever layer raised it. */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof SentinelKitError) return CONNECTION_CODES.has(error.code);
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return TRANSIENT_REPLY.test(error.message);
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return DRIVER_CONNECTION_MESSAGE.test(error.message);
}

/**
 * The typed error a failed Redis call surfaces as: our own errors pass through, connection failures
 * become `CacheConnectionError`, other Redis replies `CacheCommandError`; anything else is a bug
 * in the caller or in this library and is rethrown unchanged.
 */
export function toCacheError(error: unknown, command: string, alias: string | undefined): unknown {
  if (error instanceof SentinelKitError) return error;
  const context = alias === undefined ? { cause: error } : { alias, cause: error };
  if (isConnectionFailure(error)) return new CacheConnectionError(command, context);
  if (error instanceof Error && error.name === 'ReplyError') return new CacheCommandError(command, context);
  return error;
}

/**
 * Logs the first swallowed failure of a burst and stays quiet until a command succeeds again, so a
 * failover logs one line per cache instead of one per request (django-redis logs every one).
 */
export class FailureBurst {
  private failing = false;
  private suppressed = 0;

  constructor(
    private readonly logger: ConnectorLogger,
    private readonly alias: string | undefined,
  ) {}

  failed(error: unknown): void {
    if (this.failing) {
      this.suppressed += 1;
      return;
    }
    this.failing = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn?.(
      `sentinel-kit cache${this.alias === undefined ? '' : ` "${this.alias}"`}: ignoring connection failures (ignoreExceptions) until a command succeeds: ${reason}`,
      { alias: this.alias, error },
    );
  }

  succeeded(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.warn?.(
      `sentinel-kit cache${this.alias === undefined ? '' : ` "${this.alias}"`}: commands succeed again after ${this.suppressed + 1} ignored failure(s)`,
      { alias: this.alias, ignored: this.suppressed + 1 },
    );
    this.suppressed = 0;
  }
}
