import { InvalidCacheConfigError } from '../../errors.js';
import type { NearCacheOptions } from '../cache-config.js';

/** The near cache's bounds with every default filled in; `ttlMs` in milliseconds. */
export interface NearCacheSettings {
  maxEntries: number;
  maxBytes: number;
  ttlMs: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/** `options.nearCache` → its settings, or `undefined` when it is off. Bad values throw. */
export function nearCacheSettings(
  option: boolean | NearCacheOptions | undefined,
  alias: string | undefined,
): NearCacheSettings | undefined {
  if (option === undefined || option === false) return undefined;
  const context = alias === undefined ? {} : { alias };
  if (option !== true && (typeof option !== 'object' || option === null)) {
    throw new InvalidCacheConfigError(
      {
        problem: `Invalid "nearCache" ${String(option)}`,
        fix: 'Set "nearCache" to true, false or { maxEntries, maxBytes, ttl }',
      },
      context,
    );
  }
  const given = option === true ? {} : option;
  const bound = (name: keyof NearCacheOptions, unit: string, whole: boolean): number | undefined => {
    const value = given[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value > 0) || (whole && !Number.isSafeInteger(value))) {
      throw new InvalidCacheConfigError(
        {
          problem: `Invalid "nearCache.${name}" ${String(value)}`,
          fix: `Set "nearCache.${name}" to ${whole ? 'a whole number of' : ''} ${unit} above 0, or leave it out`,
        },
        context,
      );
    }
    return value;
  };
  const ttl = bound('ttl', 'seconds', false);
  return {
    maxEntries: bound('maxEntries', 'entries', true) ?? DEFAULT_MAX_ENTRIES,
    maxBytes: bound('maxBytes', 'bytes', true) ?? Number.POSITIVE_INFINITY,
    ttlMs: ttl === undefined ? Number.POSITIVE_INFINITY : ttl * 1000,
  };
}
