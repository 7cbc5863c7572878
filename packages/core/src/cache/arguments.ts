import { InvalidCacheArgumentError } from '../errors.js';

/**
 * What a cache method was given, checked where the call comes in. JavaScript would turn a bad key
 * into text silently (`undefined`, `[object Object]`: two different mistakes that then share one
 * Redis key) or throw a bare TypeError (a Symbol); a `NaN` version would land in the key as `NaN`.
 * Each check is one `typeof` on the good path.
 */

/** How a message names the kind of a value: `undefined`, `null`, `an array`, `a symbol`, … */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

const context = (alias: string | undefined) => (alias === undefined ? {} : { alias });

/** `key` when it is a string; else `InvalidCacheArgumentError` naming the method and what it got. */
export function checkKey(method: string, key: unknown, alias: string | undefined, what = 'key'): string {
  if (typeof key === 'string') return key;
  throw new InvalidCacheArgumentError(
    { problem: `${method}() got ${kindOf(key)} as its ${what}`, fix: `Pass the ${what} as a string` },
    context(alias),
  );
}

/** `keys` when it is an array of strings (see `checkKey`). */
export function checkKeys(method: string, keys: unknown, alias: string | undefined): string[] {
  if (!Array.isArray(keys)) {
    throw new InvalidCacheArgumentError(
      { problem: `${method}() got ${kindOf(keys)} as its keys`, fix: 'Pass the keys as an array of strings' },
      context(alias),
    );
  }
  for (const key of keys) checkKey(method, key, alias);
  return keys as string[];
}

/** `entries` when it is a plain object of key → value. */
export function checkEntries(
  method: string,
  entries: unknown,
  alias: string | undefined,
): Record<string, unknown> {
  if (typeof entries === 'object' && entries !== null && !Array.isArray(entries)) {
    return entries as Record<string, unknown>;
  }
  throw new InvalidCacheArgumentError(
    { problem: `${method}() got ${kindOf(entries)} as its entries`, fix: 'Pass an object of key → value' },
    context(alias),
  );
}

/** `version` when it is a safe integer, `undefined` when none was given. */
export function checkVersion(
  method: string,
  version: unknown,
  alias: string | undefined,
): number | undefined {
  if (version === undefined || Number.isSafeInteger(version)) return version as number | undefined;
  const shown = typeof version === 'number' ? String(version) : kindOf(version);
  throw new InvalidCacheArgumentError(
    { problem: `${method}() got the version ${shown}`, fix: 'Pass "version" as an integer' },
    context(alias),
  );
}
