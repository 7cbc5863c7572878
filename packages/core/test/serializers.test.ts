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

  it.each([
    ['a Buffer', Buffer.from('bytes')],
    ['a nested Buffer', { b: Buffer.alloc(50 * 1024 * 1024) }],
    ['a Uint8Array', new Uint8Array([1, 2])],
    ['an ArrayBuffer inside', [new ArrayBuffer(4)]],
  ])('refuses %s at once, pointing to msgpack, instead of a number per byte', (_, value) => {
    const started = performance.now();
    expect(() => jsonSerializer.dumps(value)).toThrow(/bytes.*"msgpack" serializer/);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses an invalid Date, which JSON would write as null', () => {
    expect(() => jsonSerializer.dumps({ at: new Date(Number.NaN) })).toThrow(
      /property "at" is an invalid Date/,
    );
  });

  it('stores what toJSON returns, and holds that to the same rules', () => {
    const money = { toJSON: () => '12.50 EUR' };
    expect(jsonSerializer.dumps({ price: money })).toBe('{"price":"12.50 EUR"}');
    expect(() => jsonSerializer.dumps({ price: { toJSON: () => Number.NaN } })).toThrow(/"price" is NaN/);
  });

  it('checks without a replacer, so JSON.stringify keeps its fast path', () => {
    const calls: unknown[][] = [];
    const stringify = JSON.stringify;
    JSON.stringify = ((...args: unknown[]) => {
      calls.push(args);
      return (stringify as (...a: unknown[]) => string)(...args);
    }) as typeof JSON.stringify;
    try {
      jsonSerializer.dumps({ list: [1, 2, 3], nested: { a: 'b' } });
    } finally {
      JSON.stringify = stringify;
    }
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(1);
  });

  it('costs about what JSON.stringify costs on a large array of numbers', () => {
    const numbers = Array.from({ length: 1_000_000 }, (_, i) => i / 7);
    const best = (run: () => unknown) => {
      let fastest = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        run();
        fastest = Math.min(fastest, performance.now() - started);
      }
      return fastest;
    };
    const plain = best(() => JSON.stringify(numbers));
    expect(best(() => jsonSerializer.dumps(numbers))).toBeLessThan(plain * 3 + 20);
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
