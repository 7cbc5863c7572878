import * as zlib from 'node:zlib';
import { CompressorUnavailableError } from '../../errors.js';
import type { Compressor } from '../cache-config.js';
import { attempt, DEFAULT_COMPRESS_MIN_LENGTH } from './threshold.js';

type ZstdFn = (bytes: Buffer) => Buffer;

/** The zstd functions of this runtime's `node:zlib`, present from Node 22.15 / 23.8. */
function runtimeZstd(): { compress: ZstdFn; decompress: ZstdFn } | undefined {
  const api = zlib as unknown as { zstdCompressSync?: ZstdFn; zstdDecompressSync?: ZstdFn };
  const { zstdCompressSync, zstdDecompressSync } = api;
  if (typeof zstdCompressSync !== 'function' || typeof zstdDecompressSync !== 'function') return undefined;
  return { compress: zstdCompressSync, decompress: zstdDecompressSync };
}

/** True when this runtime can compress with zstd. */
export function zstdAvailable(): boolean {
  return runtimeZstd() !== undefined;
}

/**
 * django-redis's `ZStdCompressor` (a zstd frame) for values longer than `minLength` bytes. Throws
 * `CompressorUnavailableError` on runtimes without zstd in `node:zlib`, rather than failing later.
 */
export function zstdCompressor(minLength = DEFAULT_COMPRESS_MIN_LENGTH, alias?: string): Compressor {
  const zstd = runtimeZstd();
  if (zstd === undefined) {
    throw new CompressorUnavailableError(
      'zstd',
      `this Node.js (${process.version}) has no zlib.zstdCompressSync; it needs Node.js 22.15 or later`,
      alias === undefined ? {} : { alias },
    );
  }
  const magic = (b: Buffer) => b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd;
  return {
    name: 'zstd',
    compress: (bytes) => (bytes.length > minLength ? zstd.compress(bytes) : bytes),
    decompress: (bytes) => (magic(bytes) ? attempt(() => zstd.decompress(bytes)) : undefined),
  };
}
