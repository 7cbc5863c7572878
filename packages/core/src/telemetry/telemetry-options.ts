import { InvalidCacheConfigError } from '../errors.js';

/** Process-wide telemetry settings; see `configureTelemetry`. */
export interface TelemetryOptions {
  /**
   * Characters of the cache key a span may carry as `sentinel_kit.cache.key` (longer keys are cut
   * there); `0` puts no key on spans. Keys often hold user ids or e-mail addresses, so none by
   * default. Patterns (`keys`, `deletePattern`) count as keys. Default: 0 (characters).
   */
  keyAttributeLength?: number;
}

let keyLength = 0;

/** Sets how much of each key spans may carry; see `TelemetryOptions`. */
export function configureTelemetry(options: TelemetryOptions): void {
  const length = options.keyAttributeLength ?? 0;
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidCacheConfigError({
      problem: `Invalid "keyAttributeLength" ${String(length)}`,
      fix: 'Set "keyAttributeLength" to a whole number of characters, or 0 for no key on spans',
    });
  }
  keyLength = length;
}

/** `key` as a span may carry it: cut to the configured length, or `undefined` when keys are off. */
export function keyAttribute(key: unknown): string | undefined {
  if (keyLength === 0 || typeof key !== 'string') return undefined;
  return key.length > keyLength ? key.slice(0, keyLength) : key;
}
