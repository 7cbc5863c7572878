import { describe, expect, it } from 'vitest';
import { jsonSerializer, msgpackSerializer, resolveSerializer } from '../src/cache/serializers/index.js';
import { InvalidCacheConfigError } from '../src/errors.js';

describe('jsonSerializer', () => {
  it('writes exactly the text of JSON.stringify, no header (Redis stores its UTF-8)', () => {
    const value = { name: 'Zoë', tags: ['a', 1, null, true], nested: { n: 1.5 } };
    expect(jsonSerializer.dumps(value)).toBe(JSON.stringify(value));
  });

  it('reads back what it wrote', () => {
    const value = { list: [1, 2, { deep: 'ü' }], s: 'x', f: -0.25 };
    expect(jsonSerializer.loads(Buffer.from(jsonSerializer.dumps(value), 'utf8'))).toEqual(value);
  });

  it.each([
    ['a BigInt', 10n, /BigInt/],
    ['a nested BigInt', { id: 1n }, /property "id" is a BigInt/],
    ['a function', () => 1, /function/],
    ['a nested function', { f: () => 1 }, /property "f" is a function/],
    ['a symbol', Symbol('s'), /symbol/],
    ['NaN', Number.NaN, /NaN/],
    ['Infinity inside', [Number.POSITIVE_INFINITY], /Infinity/],
    ['a Map', new Map([['a', 1]]), /Map/],
    ['a Set inside', { s: new Set([1]) }, /Set/],
    ['undefined', undefined, /undefined/],
  ])('refuses %s instead of storing something else', (_, value, message) => {
    expect(() => jsonSerializer.dumps(value)).toThrow(message);
  });

  it('refuses a cycle', () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => jsonSerializer.dumps(cyclic)).toThrow(TypeError);
  });

  it('writes a Date as its ISO text, as DjangoJSONEncoder does', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(jsonSerializer.dumps({ at })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
  });
});

describe('msgpackSerializer', () => {
  it('round-trips objects as plain maps', () => {
    const value = { a: 1, b: [1, 'two', { c: null }], d: 2.5, e: 'ü' };
    expect(msgpackSerializer.loads(msgpackSerializer.dumps(value))).toEqual(value);
  });

  it('writes a standard map header, not the msgpackr record extension', () => {
    // fixmap with 1 entry (0x81), fixstr "a" (0xa1 0x61), positive fixint 1.
    expect([...msgpackSerializer.dumps({ a: 1 })]).toEqual([0x81, 0xa1, 0x61, 0x01]);
  });

  it('returns buffers that later packs do not overwrite', () => {
    const first = msgpackSerializer.dumps({ first: 'value-one' });
    const copy = Buffer.from(first);
    msgpackSerializer.dumps({ second: 'value-two-overwrites?' });
    expect(first.equals(copy)).toBe(true);
  });
});

describe('resolveSerializer', () => {
  it('defaults to json and accepts a custom object', () => {
    expect(resolveSerializer(undefined)).toBe(jsonSerializer);
    expect(resolveSerializer('msgpack')).toBe(msgpackSerializer);
    const custom = {
      name: 'raw',
      dumps: (v: unknown) => Buffer.from(String(v)),
      loads: (b: Buffer) => b.toString(),
    };
    expect(resolveSerializer(custom)).toBe(custom);
  });

  it('names the option for an unknown serializer', () => {
    expect(() => resolveSerializer('pickle' as 'json', 'hp')).toThrow(InvalidCacheConfigError);
    expect(() => resolveSerializer('pickle' as 'json', 'hp')).toThrow(/"serializer" option "pickle"/);
  });
});
