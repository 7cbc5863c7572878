import { InvalidTtlError } from './errors.js';

/**
 * A Keyv / cache-manager ttl (milliseconds; `0` or none = never expires) as a Django timeout
 * (seconds, fractional where the ttl is; `null` = never expires; `0` = do not store). The cache
 * turns `ttlMs / 1000` seconds back into exactly `ttlMs` milliseconds (`PX ttlMs`): a ttl of 500
 * lives 500 ms. A fraction of a millisecond rounds up to a whole one, since `PX` takes whole
 * milliseconds and a value should not vanish earlier than asked. A negative ttl is already
 * expired, so it becomes `0` and the value is not stored.
 */
export function ttlToTimeout(ttlMs: number | undefined, alias?: string): number | null {
  if (ttlMs === undefined || ttlMs === 0 || ttlMs === Number.POSITIVE_INFINITY) return null;
  if (typeof ttlMs !== 'number' || Number.isNaN(ttlMs)) throw new InvalidTtlError(ttlMs, alias);
  if (ttlMs < 0) return 0;
  return Math.ceil(ttlMs) / 1000;
}

/**
 * A Django timeout (seconds; `null` = never; `0` or negative = do not store) as the default ttl of
 * a cache-manager instance (milliseconds; `undefined` = never). cache-manager has no "do not
 * store" value, so `0` or less becomes `-1` ms, which `ttlToTimeout` turns back into `0`.
 */
export function timeoutToTtl(timeoutSeconds: number | null): number | undefined {
  if (timeoutSeconds === null) return undefined;
  if (timeoutSeconds <= 0) return -1;
  return timeoutSeconds * 1000;
}
