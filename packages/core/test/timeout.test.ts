import { describe, expect, it } from 'vitest';
import { secondsToMs, timeoutMs } from '../src/cache/timeout.js';

describe('timeoutMs (Django seconds → PX milliseconds)', () => {
  it('gives back exactly n ms for n / 1000 seconds, for every n up to 2,000,000 and far beyond', () => {
    for (let ms = 1; ms <= 2_000_000; ms++) {
      if (secondsToMs(ms / 1000) !== ms) expect(secondsToMs(ms / 1000)).toBe(ms);
    }
    for (const ms of [86_400_000, 2 ** 31 - 1, 2 ** 40 + 7, 2 ** 52 + 1, Number.MAX_SAFE_INTEGER - 1]) {
      expect(secondsToMs(ms / 1000)).toBe(ms);
    }
  });

  it('truncates a true fraction of a millisecond toward zero, as Django does', () => {
    expect(timeoutMs(0.0004, 300, {})).toBe(0);
    expect(timeoutMs(1.0000004, 300, {})).toBe(1000);
    expect(timeoutMs(0.0015, 300, {})).toBe(1);
    expect(timeoutMs(-0.5, 300, {})).toBe(-500);
  });

  it('takes fractional seconds from Django timeouts', () => {
    expect(timeoutMs(0.5, 300, {})).toBe(500);
    expect(timeoutMs(2.25, 300, {})).toBe(2250);
    expect(timeoutMs(undefined, 0.75, {})).toBe(750);
    expect(timeoutMs(null, 300, {})).toBeNull();
    expect(timeoutMs(Number.POSITIVE_INFINITY, 300, {})).toBeNull();
  });
});
