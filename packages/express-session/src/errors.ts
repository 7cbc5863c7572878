import { SentinelKitError } from '@sentinel-kit/core';

/** A store option that cannot work; the message names the option and what it needs. */
export class InvalidSessionStoreOptionError extends SentinelKitError {
  override name = 'InvalidSessionStoreOptionError';
  readonly option: string;

  constructor(option: string, problem: string, options: { alias?: string } = {}) {
    super(
      'ERR_INVALID_SESSION_STORE_OPTION',
      `Invalid SentinelSessionStore option "${option}": ${problem}`,
      options,
    );
    this.option = option;
  }
}

/**
 * A session operation failed in Redis. Errors that already carry a sentinel-kit code (the
 * connector's typed errors) reach express-session unchanged; this wraps the rest (socket closed,
 * timeouts, server replies) so every store error has a `code`, the cache `alias` and the `cause`.
 */
export class SessionStoreError extends SentinelKitError {
  override name = 'SessionStoreError';
  readonly operation: string;

  constructor(operation: string, cause: unknown, options: { alias?: string } = {}) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).replace(/\.$/, '');
    const where = options.alias === undefined ? '' : ` (cache "${options.alias}")`;
    super(
      'ERR_SESSION_STORE',
      `Session ${operation} failed in Redis${where}: ${reason}. ` +
        'Set the store option onError: "miss" to serve a fresh session instead of an error while Redis is unreachable.',
      {
        cause,
        alias: options.alias,
      },
    );
    this.operation = operation;
  }
}

/** `WAIT` heard back from fewer replicas than `durability.replicas` within `durability.timeout` ms. */
export class SessionDurabilityError extends SentinelKitError {
  override name = 'SessionDurabilityError';
  readonly acknowledged: number;
  readonly wanted: number;

  constructor(acknowledged: number, wanted: number, timeoutMs: number, options: { alias?: string } = {}) {
    const where = options.alias === undefined ? '' : ` (cache "${options.alias}")`;
    super(
      'ERR_SESSION_NOT_REPLICATED',
      `A session write reached ${acknowledged} of the ${wanted} replicas asked for within ${timeoutMs} ms${where}. ` +
        'Raise "durability.timeout" (milliseconds), lower "durability.replicas", or check replication.',
      options,
    );
    this.acknowledged = acknowledged;
    this.wanted = wanted;
  }
}
