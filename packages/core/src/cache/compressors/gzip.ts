import { gunzipSync, gzipSync } from 'node:zlib';
import type { Compressor } from '../cache-config.js';
import { attempt, DEFAULT_COMPRESS_MIN_LENGTH } from './threshold.js';

/**
 * django-redis's `GzipCompressor` (5.3+): a gzip member (`gzip.compress(value)`, level 9) for values
 * longer than `minLength` bytes, the plain bytes otherwise.
 */
export function gzipCompressor(minLength = DEFAULT_COMPRESS_MIN_LENGTH): Compressor {
  return {
    name: 'gzip',
    compress: (bytes) => (bytes.length > minLength ? gzipSync(bytes, { level: 9 }) : bytes),
    decompress: (bytes) =>
      bytes[0] === 0x1f && bytes[1] === 0x8b ? attempt(() => gunzipSync(bytes)) : undefined,
  };
}
