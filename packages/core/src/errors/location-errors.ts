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

/** What a location of each kind names, for messages. */
const NAMES = { sentinel: 'sentinels', standalone: 'one server', cluster: 'a Redis Cluster' } as const;

/** `connector.sentinels()` on a location that names one server or a cluster, not sentinels. */
export class NotSentinelLocationError extends SentinelKitError<'ERR_NOT_SENTINEL_LOCATION'> {
  static readonly code = 'ERR_NOT_SENTINEL_LOCATION';
  override name = 'NotSentinelLocationError';
  constructor(context: ErrorContext & { kind?: 'standalone' | 'cluster' } = {}) {
    const fix = 'Use a sentinel location ("mymaster/host:26379,…/0" or "redis+sentinel://…")';
    const problem = 'There are no sentinels to ask';
    const detail = `the location names ${NAMES[context.kind ?? 'standalone']}`;
    super('ERR_NOT_SENTINEL_LOCATION', { problem, detail, fix }, context);
  }
}

/**
 * A part of sentinel-kit that does not take locations of this kind: `feature` names it (`"the
 * CLI"`), `kind` is the location's.
 */
export class UnsupportedLocationError extends SentinelKitError<'ERR_UNSUPPORTED_LOCATION'> {
  static readonly code = 'ERR_UNSUPPORTED_LOCATION';
  override name = 'UnsupportedLocationError';
  readonly feature: string;
  readonly kind: keyof typeof NAMES;
  constructor(feature: string, kind: keyof typeof NAMES, context: ErrorContext = {}) {
    const problem = `${feature[0]?.toUpperCase()}${feature.slice(1)} does not support a location that names ${NAMES[kind]} yet`;
    const fix = kind === 'cluster' ? 'Use a sentinel location for it until then' : undefined;
    super('ERR_UNSUPPORTED_LOCATION', fix === undefined ? { problem } : { problem, fix }, context);
    this.feature = feature;
    this.kind = kind;
  }
}
