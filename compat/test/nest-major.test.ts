import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import cacheManagerPackage from '@nestjs/cache-manager/package.json' with { type: 'json' };
import commonPackage from '@nestjs/common/package.json' with { type: 'json' };
import corePackage from '@nestjs/core/package.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';

// A compat project runs packages/nestjs's tests on the Nest major it is named after. These checks
// make sure that is what ran: an alias that quietly fell back to packages/nestjs's own Nest would
// otherwise pass for the other major.
const major = Number(process.env.SENTINEL_KIT_NEST_MAJOR);
const nestDirs = JSON.parse(process.env.SENTINEL_KIT_NEST_DIRS ?? '{}') as Record<string, string>;
const majorOf = (version: string) => Number(version.split('.')[0]);

describe(`the Nest this compat project pins (${major})`, () => {
  it('is the major of @nestjs/common and @nestjs/core that the tests import', () => {
    expect(majorOf(commonPackage.version)).toBe(major);
    expect(majorOf(corePackage.version)).toBe(major);
    expect(cacheManagerPackage.name).toBe('@nestjs/cache-manager');
  });

  it('is the one copy: Nest packages that import Nest themselves get the same directories', () => {
    for (const dependent of ['@nestjs/cache-manager', '@nestjs/testing', '@nestjs/platform-express']) {
      const from = createRequire(join(nestDirs[dependent] ?? '', 'package.json'));
      for (const nest of ['@nestjs/common', '@nestjs/core']) {
        const resolved = realpathSync(from.resolve(nest));
        expect(resolved.startsWith(`${nestDirs[nest]}/`), `${dependent} → ${nest}: ${resolved}`).toBe(true);
      }
    }
  });
});
