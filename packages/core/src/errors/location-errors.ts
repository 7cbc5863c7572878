/** Errors about the location string a cache or connector was given. */
import { type ErrorContext, type ErrorParts, SentinelKitError } from './base.js';

/** A location string that cannot be parsed. The message masks any password; no property holds the input. */
export class InvalidLocationError extends SentinelKitError<'ERR_INVALID_LOCATION'> {
  static readonly code = 'ERR_INVALID_LOCATION';
  override name = 'InvalidLocationError';
  /** The part of the location that is wrong: `host`, `port`, `db`, `master name`, … */
  readonly part: string;
  constructor(message: ErrorParts | string, part: string) {
    super('ERR_INVALID_LOCATION', message);
    this.part = part;
  }
}

/** `connector.sentinels()` on a location that names one server, not sentinels. */
export class NotSentinelLocationError extends SentinelKitError<'ERR_NOT_SENTINEL_LOCATION'> {
  static readonly code = 'ERR_NOT_SENTINEL_LOCATION';
  override name = 'NotSentinelLocationError';
  constructor(context: ErrorContext = {}) {
    const fix = 'Use a sentinel location ("mymaster/host:26379,…/0" or "redis+sentinel://…")';
    const problem = 'There are no sentinels to ask';
    super('ERR_NOT_SENTINEL_LOCATION', { problem, detail: 'the location names one server', fix }, context);
  }
}
