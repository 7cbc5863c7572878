import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { Compressor } from '../cache-config.js';
import { attempt, DEFAULT_COMPRESS_MIN_LENGTH } from './threshold.js';

/**
 * Brotli for values longer than `minLength` bytes. A brotli stream has no magic number, so plain
 * (short) values are told apart by a failed decompression, as django-redis does for every format.
 */
export function brotliCompressor(minLength = DEFAULT_COMPRESS_MIN_LENGTH): Compressor {
  return {
    name: 'brotli',
    compress: (bytes) =>
      bytes.length > minLength
        ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
        : bytes,
    decompress: (bytes) => attempt(() => brotliDecompressSync(bytes)),
  };
}
