import { deflateSync, inflateSync } from 'node:zlib';
import type { Compressor } from '../cache-config.js';
import { attempt, DEFAULT_COMPRESS_MIN_LENGTH } from './threshold.js';

/** True when the first two bytes are a zlib header (RFC 1950: deflate method, check bits). */
function hasZlibHeader(bytes: Buffer): boolean {
  const [cmf, flg] = bytes;
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * django-redis's `ZlibCompressor`: a zlib container (`zlib.compress(value, 6)`) for values longer
 * than `minLength` bytes, the plain bytes otherwise.
 */
export function zlibCompressor(minLength = DEFAULT_COMPRESS_MIN_LENGTH): Compressor {
  return {
    name: 'zlib',
    compress: (bytes) => (bytes.length > minLength ? deflateSync(bytes, { level: 6 }) : bytes),
    decompress: (bytes) => (hasZlibHeader(bytes) ? attempt(() => inflateSync(bytes)) : undefined),
  };
}
