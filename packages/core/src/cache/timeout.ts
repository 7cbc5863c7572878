import { InvalidCacheArgumentError } from '../errors.js';

/** Default `TIMEOUT` of a Django cache, in seconds. */
export const DEFAULT_TIMEOUT = 300;

/**
 * Milliseconds for a Django-style timeout in seconds: `undefined` → `defaultTimeout` (seconds),
 * `null` → no expiry (`null`), `0` or negative → a number ≤ 0, which callers treat as "do not store".
 */
export function timeoutMs(
  timeout: number | null | undefined,
  defaultTimeout: number | null,
  context: { alias?: string },
): number | null {
  const seconds = timeout === undefined ? defaultTimeout : timeout;
  if (seconds === null) return null;
  if (typeof seconds !== 'number' || Number.isNaN(seconds)) {
    throw new InvalidCacheArgumentError(
      {
        problem: `Invalid timeout ${String(timeout)}`,
        fix: 'Pass seconds as a number, or null for no expiry',
      },
      context,
    );
  }
  if (seconds === Number.POSITIVE_INFINITY) return null;
  const ms = secondsToMs(seconds);
  // Redis reads an expiry as a whole number of milliseconds; past 2^53 a JS number no longer writes
  // one (1e19 goes out as "1e+19"), and Redis's reply would not say which argument was wrong.
  if (ms > Number.MAX_SAFE_INTEGER) {
    throw new InvalidCacheArgumentError(
      {
        problem: `Invalid timeout ${seconds}: longer than the longest expiry a key can have (${Math.floor(Number.MAX_SAFE_INTEGER / 1000)} seconds)`,
        fix: 'Pass the "timeout" argument in seconds within that, or null for no expiry',
      },
      context,
    );
  }
  return ms;
}

/**
 * Milliseconds in `seconds`, truncated toward zero as Django does (`int(timeout * 1000)`: 0.0004 s
 * is "do not store"), except that a product within rounding error of a whole number is that
 * number: `n / 1000` seconds from a Keyv ttl of `n` ms gives back exactly `n` (`1001 / 1000 * 1000`
 * is 1000.9999999999999 in floating point, which plain truncation would make 1000).
 */
export function secondsToMs(seconds: number): number {
  const ms = seconds * 1000;
  const nearest = Math.round(ms);
  // Two roundings (the division that made `seconds`, this product) err by under 2 ulps of `ms`.
  return Math.abs(ms - nearest) <= Math.abs(ms) * 4 * Number.EPSILON ? nearest : Math.trunc(ms);
}
