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
  // Django truncates toward zero (int(timeout * 1000)), so 0.0004 s is "do not store".
  return seconds === Number.POSITIVE_INFINITY ? null : Math.trunc(seconds * 1000);
}
