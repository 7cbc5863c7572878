import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  brotliCompressor,
  gzipCompressor,
  noneCompressor,
  resolveCompressor,
  zlibCompressor,
  zstdAvailable,
  zstdCompressor,
} from '../src/cache/compressors/index.js';
import { CompressorUnavailableError, InvalidCacheConfigError } from '../src/errors.js';

// The system Python is the one with django-redis; it also has zlib and gzip, the reference codecs.
const PYTHON = '/usr/bin/python3';

function python(script: string, input: Buffer): Buffer {
  return execFileSync(PYTHON, ['-c', `import sys, zlib, gzip\n${script}`], { input });
}

const long = Buffer.from(JSON.stringify({ text: 'a value long enough to be compressed '.repeat(4) }));
const short = Buffer.from('"fifteen bytes"'); // 15 bytes: at the minimum, so stored plain

describe.each([
  ['zlib', zlibCompressor()],
  ['gzip', gzipCompressor()],
  ['brotli', brotliCompressor()],
])('%s compressor', (_, compressor) => {
  it('compresses only values longer than 15 bytes, as django-redis min_length', () => {
    expect(short.length).toBe(15);
    expect(compressor.compress(short)).toBe(short);
    const packed = compressor.compress(long);
    expect(packed.equals(long)).toBe(false);
    expect(packed.length).toBeLessThan(long.length);
  });

  it('reads back its container and tells plain values apart', () => {
    expect(compressor.decompress(compressor.compress(long))?.equals(long)).toBe(true);
    expect(compressor.decompress(short)).toBeUndefined();
    expect(compressor.decompress(Buffer.from('{"a":[1,2,3],"b":"plain json text"}'))).toBeUndefined();
  });
});

describe('zlib and gzip containers are the ones Python (django-redis) reads and writes', () => {
  it('Python zlib.decompress reads the zlib container', () => {
    const out = python(
      'sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))',
      zlibCompressor().compress(long),
    );
    expect(out.equals(long)).toBe(true);
  });

  it('reads what Python zlib.compress(value, 6) writes', () => {
    const packed = python('sys.stdout.buffer.write(zlib.compress(sys.stdin.buffer.read(), 6))', long);
    expect(zlibCompressor().decompress(packed)?.equals(long)).toBe(true);
  });

  it('Python gzip.decompress reads the gzip member', () => {
    const out = python(
      'sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))',
      gzipCompressor().compress(long),
    );
    expect(out.equals(long)).toBe(true);
  });

  it('reads what Python gzip.compress writes', () => {
    const packed = python('sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read()))', long);
    expect(gzipCompressor().decompress(packed)?.equals(long)).toBe(true);
  });
});

describe('zstd', () => {
  it('works where the runtime has it, else fails early with CompressorUnavailableError', () => {
    if (zstdAvailable()) {
      const zstd = zstdCompressor();
      expect(zstd.decompress(zstd.compress(long))?.equals(long)).toBe(true);
      expect(zstd.decompress(short)).toBeUndefined();
    } else {
      expect(() => resolveCompressor({ compressor: 'zstd' }, 'hp')).toThrow(CompressorUnavailableError);
      expect(() => resolveCompressor({ compressor: 'zstd' }, 'hp')).toThrow(
        /Node\.js 22\.15.*"compressor" option/,
      );
    }
  });
});

describe('resolveCompressor', () => {
  it('defaults to none and applies compressMinLength', () => {
    expect(resolveCompressor({})).toBe(noneCompressor);
    const eager = resolveCompressor({ compressor: 'zlib', compressMinLength: 0 });
    expect(eager.compress(Buffer.from('ab'))[0]).toBe(0x78);
  });

  it('names the option for bad values', () => {
    expect(() => resolveCompressor({ compressor: 'lz4' as 'zlib' })).toThrow(InvalidCacheConfigError);
    expect(() => resolveCompressor({ compressMinLength: -1 })).toThrow(/"compressMinLength"/);
  });
});
