import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadYourWrites } from '../src/cache/read-your-writes.js';
import { InvalidCacheConfigError } from '../src/errors.js';

const sentinel = 'mymaster/127.0.0.1:26379/0';

describe('ReadYourWrites (which reads go to the master after this process wrote)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a key written within the window to the master, and lets it go after', () => {
    vi.useFakeTimers();
    const recent = new ReadYourWrites(1000);
    recent.wrote('dj:1:a');
    expect(recent.pending('dj:1:a')).toBe(true);
    expect(recent.pending('dj:1:b')).toBe(false);
    expect(recent.anyPending(['dj:1:b', 'dj:1:a'])).toBe(true);
    vi.advanceTimersByTime(999);
    expect(recent.pending('dj:1:a')).toBe(true);
    vi.advanceTimersByTime(2);
    expect(recent.pending('dj:1:a')).toBe(false);
    expect(recent.size).toBe(0);
  });

  it('prunes lapsed entries as it goes, so memory follows the write rate, not the key count', () => {
    vi.useFakeTimers();
    const recent = new ReadYourWrites(100);
    for (let i = 0; i < 50_000; i++) {
      recent.wrote(`dj:1:k${i}`);
      vi.advanceTimersByTime(1);
    }
    expect(recent.size).toBeLessThanOrEqual(101);
  });

  it('past its cap sends every read to the master until the dropped entries would have lapsed', () => {
    vi.useFakeTimers();
    const recent = new ReadYourWrites(1000, 3);
    for (const key of ['a', 'b', 'c', 'd']) recent.wrote(key);
    expect(recent.size).toBe(3);
    expect(recent.pending('a')).toBe(true);
    expect(recent.pending('never-written')).toBe(true);
    vi.advanceTimersByTime(1001);
    expect(recent.pending('never-written')).toBe(false);
  });

  it('after wroteEverything (clear, a pattern delete) sends every read to the master for the window', () => {
    vi.useFakeTimers();
    const recent = new ReadYourWrites(500);
    recent.wroteEverything();
    expect(recent.anyPending(['x', 'y'])).toBe(true);
    vi.advanceTimersByTime(501);
    expect(recent.anyPending(['x', 'y'])).toBe(false);
  });

  it('is not built when reads cannot lag: window 0, readFrom master, or a one-server location', () => {
    expect(ReadYourWrites.forCache(undefined, 'replicaPreferred', sentinel, {})?.windowMs).toBe(1000);
    expect(ReadYourWrites.forCache(250, 'replica', sentinel, {})?.windowMs).toBe(250);
    expect(ReadYourWrites.forCache(0, 'replicaPreferred', sentinel, {})).toBeUndefined();
    expect(ReadYourWrites.forCache(1000, 'master', sentinel, {})).toBeUndefined();
    expect(ReadYourWrites.forCache(1000, 'replicaPreferred', 'redis://127.0.0.1:6379/0', {})).toBeUndefined();
  });

  it('rejects a window that is not milliseconds, naming the option and the cache', () => {
    expect(() => ReadYourWrites.forCache(-1, 'replicaPreferred', sentinel, { alias: 'hp' })).toThrow(
      InvalidCacheConfigError,
    );
    expect(() => ReadYourWrites.forCache(Number.NaN, 'replicaPreferred', sentinel, { alias: 'hp' })).toThrow(
      /"readYourWrites".*cache "hp"|cache "hp".*readYourWrites/,
    );
  });
});
