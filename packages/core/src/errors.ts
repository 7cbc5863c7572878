/**
 * The base of every error sentinel-kit throws. `code` is stable across releases, so callers and
 * logs can match on it instead of on the message; `alias` names the cache the failure belongs to
 * when there is one; `cause` keeps the underlying error.
 */
export class SentinelKitError extends Error {
  override name = 'SentinelKitError';
  readonly code: string;
  readonly alias: string | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; alias?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.alias = options.alias;
  }
}

/** A location string that cannot be parsed. The message masks any password it quotes. */
export class InvalidLocationError extends SentinelKitError {
  override name = 'InvalidLocationError';

  constructor(message: string) {
    super('ERR_INVALID_LOCATION', message);
  }
}
