import { describe, expect, it } from 'vitest';
import { defaultKeyFunction, defaultReverseKeyFunction, isOwnKey } from '../src/cache/key-function.js';
import { escapeGlob } from '../src/shared/glob-escape.js';

describe('Django key function', () => {
  it('builds prefix:version:key', () => {
    expect(defaultKeyFunction('name', 'dj', 1)).toBe('dj:1:name');
    expect(defaultKeyFunction('code', 'dj:bi', 3)).toBe('dj:bi:3:code');
    expect(defaultKeyFunction('x', '', 1)).toBe(':1:x');
  });

  it('reverses only its own namespace, also for a prefix with colons', () => {
    expect(defaultReverseKeyFunction('dj:bi:1:a:b', 'dj:bi', 1)).toBe('a:b');
    expect(defaultReverseKeyFunction('dj:bi:1:a', 'dj', 1)).toBeUndefined();
    expect(defaultReverseKeyFunction('dj:2:a', 'dj', 1)).toBeUndefined();
  });

  it('claims every integer version of its prefix and nothing longer', () => {
    expect(isOwnKey('dj:1:a', 'dj')).toBe(true);
    expect(isOwnKey('dj:-3:a', 'dj')).toBe(true);
    expect(isOwnKey('dj:bi:1:a', 'dj')).toBe(false);
    expect(isOwnKey('djx:1:a', 'dj')).toBe(false);
    expect(isOwnKey('other', 'dj')).toBe(false);
  });

  it('escapes glob characters of a prefix', () => {
    expect(escapeGlob('a*b?[c]\\')).toBe('a\\*b\\?\\[c\\]\\\\');
  });
});
