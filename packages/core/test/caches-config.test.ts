import {
  CompressorUnavailableError,
  createCache,
  createCaches,
  InvalidCacheConfigError,
  InvalidLocationError,
  zstdAvailable,
} from '@sentinel-kit/core';
import { describe, expect, it } from 'vitest';

// Port 1 on loopback: nothing listens, so any socket opened here would fail.
const NOWHERE = 'mymaster/127.0.0.1:1,127.0.0.1:2/0';

describe('createCaches validates every entry up front', () => {
  it('throws InvalidLocationError for a bad location before anything connects', () => {
    expect(() => createCaches({ default: { location: 'mymaster/127.0.0.1:notaport/0' } })).toThrow(
      InvalidLocationError,
    );
  });

  it('names the alias and the option for a bad serializer, version or timeout', () => {
    const bad = (options: object) => () =>
      createCaches({ default: { location: NOWHERE }, hp: { location: NOWHERE, ...options } });
    expect(bad({ options: { serializer: 'pickle' } })).toThrow(InvalidCacheConfigError);
    expect(bad({ options: { serializer: 'pickle' } })).toThrow(/"serializer"/);
    expect(bad({ version: 1.5 })).toThrow(/"version"/);
    expect(bad({ timeout: Number.NaN })).toThrow(/"timeout"/);
    expect(bad({ version: 'x' })).toThrow(
      expect.objectContaining({ alias: 'hp', code: 'ERR_INVALID_CACHE_CONFIG' }),
    );
  });

  // Both branches run somewhere: scripts/test.sh runs core on Node 20 (no zstd) and 22/24 (zstd).
  it(`${zstdAvailable() ? 'accepts' : 'refuses'} zstd on this runtime when the cache is built`, async () => {
    const build = () => createCache({ location: NOWHERE, options: { compressor: 'zstd' } });
    if (zstdAvailable()) {
      await build().close();
    } else {
      expect(build).toThrow(CompressorUnavailableError);
    }
  });

  it('opens no connection until a cache is used', async () => {
    const caches = createCaches({ default: { location: NOWHERE } });
    expect(caches.aliases).toEqual(['default']);
    await caches.close();
  });
});
