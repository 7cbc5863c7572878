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

// zlib.zstdCompressSync arrived in Node.js 22.15 and 23.8. The expectation comes from the version,
// not from zstdAvailable() itself, and neither branch is skipped: Node 20 must refuse zstd with the
// typed error, Node 22.15+ and 24 must round-trip it (scripts/test.sh runs core on 20, 22 and 24).
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const runtimeHasZstd = major > 23 || (major === 23 && minor >= 8) || (major === 22 && minor >= 15);

describe(`zstd on Node.js ${process.versions.node} (${runtimeHasZstd ? 'has' : 'lacks'} zlib zstd)`, () => {
  it('zstdAvailable() says what this Node.js version has', () => {
    expect(zstdAvailable()).toBe(runtimeHasZstd);
  });

  it(
    runtimeHasZstd
      ? 'round-trips a zstd frame and tells plain values apart'
      : 'fails early with CompressorUnavailableError naming the Node.js version and the option',
    () => {
      if (runtimeHasZstd) {
        const zstd = zstdCompressor();
        const packed = zstd.compress(long);
        expect([...packed.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
        expect(zstd.decompress(packed)?.equals(long)).toBe(true);
        expect(zstd.decompress(short)).toBeUndefined();
        expect(resolveCompressor({ compressor: 'zstd' }, 'hp').name).toBe('zstd');
      } else {
        expect(() => resolveCompressor({ compressor: 'zstd' }, 'hp')).toThrow(CompressorUnavailableError);
        expect(() => resolveCompressor({ compressor: 'zstd' }, 'hp')).toThrow(
          /Node\.js 22\.15.*"compressor" option/,
        );
      }
    },
  );
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
