import { InvalidCacheConfigError } from '../../errors.js';
import type { CacheOptions, Compressor } from '../cache-config.js';
import { brotliCompressor } from './brotli.js';
import { gzipCompressor } from './gzip.js';
import { noneCompressor } from './none.js';
import { DEFAULT_COMPRESS_MIN_LENGTH } from './threshold.js';
import { zlibCompressor } from './zlib.js';
import { zstdCompressor } from './zstd.js';

export { brotliCompressor } from './brotli.js';
export { gzipCompressor } from './gzip.js';
export { noneCompressor } from './none.js';
export { zlibCompressor } from './zlib.js';
export { zstdAvailable, zstdCompressor } from './zstd.js';

/** The compressor `options.compressor` names, with `options.compressMinLength` applied. */
export function resolveCompressor(options: CacheOptions, alias?: string): Compressor {
  const { compressor = 'none', compressMinLength = DEFAULT_COMPRESS_MIN_LENGTH } = options;
  const context = alias === undefined ? {} : { alias };
  if (!Number.isInteger(compressMinLength) || compressMinLength < 0) {
    throw new InvalidCacheConfigError(
      {
        problem: `Invalid "compressMinLength" option ${String(compressMinLength)}`,
        fix: 'Set it to a whole number of bytes, 0 or more',
      },
      context,
    );
  }
  switch (compressor) {
    case 'none':
      return noneCompressor;
    case 'zlib':
      return zlibCompressor(compressMinLength);
    case 'gzip':
      return gzipCompressor(compressMinLength);
    case 'brotli':
      return brotliCompressor(compressMinLength);
    case 'zstd':
      return zstdCompressor(compressMinLength, alias);
    default:
      if (typeof compressor === 'object' && typeof compressor.compress === 'function') return compressor;
      throw new InvalidCacheConfigError(
        {
          problem: `Unknown "compressor" option ${JSON.stringify(String(compressor))}`,
          fix: "Use 'none', 'zlib', 'gzip', 'brotli', 'zstd' or an object with compress() and decompress()",
        },
        context,
      );
  }
}
