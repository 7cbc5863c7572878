import { describe, expect, it } from 'vitest';
import { InvalidTtlError, timeoutToTtl, ttlToTimeout } from '../src/index.js';

describe('ttlToTimeout (Keyv/cache-manager milliseconds → Django seconds)', () => {
  it('treats 0 and no ttl as "never expires" (null), not as Django\'s "do not store"', () => {
    expect(ttlToTimeout(0)).toBeNull();
    expect(ttlToTimeout(undefined)).toBeNull();
    expect(ttlToTimeout(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('keeps milliseconds exact as fractional seconds', () => {
    expect(ttlToTimeout(1)).toBe(0.001);
    expect(ttlToTimeout(500)).toBe(0.5);
    expect(ttlToTimeout(999)).toBe(0.999);
    expect(ttlToTimeout(1000)).toBe(1);
    expect(ttlToTimeout(1001)).toBe(1.001);
    expect(ttlToTimeout(60_000)).toBe(60);
  });

  it('rounds a fraction of a millisecond up to a whole one, so a value never expires early', () => {
    expect(ttlToTimeout(0.2)).toBe(0.001);
    expect(ttlToTimeout(1500.5)).toBe(1.501);
  });

  it('turns a negative ttl (already expired) into 0: do not store', () => {
    expect(ttlToTimeout(-1)).toBe(0);
    expect(ttlToTimeout(-5000)).toBe(0);
  });

  it('rejects NaN with a typed error naming the unit', () => {
    expect(() => ttlToTimeout(Number.NaN, 'hp')).toThrow(InvalidTtlError);
    expect(() => ttlToTimeout(Number.NaN, 'hp')).toThrow(
      /milliseconds.*\bcache "hp"|cache "hp".*milliseconds/,
    );
  });
});

describe('timeoutToTtl (Django seconds → cache-manager default milliseconds)', () => {
  it('maps null (never expires) to no ttl', () => {
    expect(timeoutToTtl(null)).toBeUndefined();
  });

  it('maps seconds to milliseconds', () => {
    expect(timeoutToTtl(300)).toBe(300_000);
    expect(timeoutToTtl(1)).toBe(1000);
  });

  it('maps 0 or negative (do not store) to a negative ttl that ttlToTimeout turns back into 0', () => {
    expect(timeoutToTtl(0)).toBe(-1);
    expect(timeoutToTtl(-10)).toBe(-1);
    expect(ttlToTimeout(timeoutToTtl(0))).toBe(0);
  });

  it('round-trips every whole number of seconds', () => {
    for (const seconds of [1, 2, 59, 300, 86_400]) expect(ttlToTimeout(timeoutToTtl(seconds))).toBe(seconds);
  });
});
