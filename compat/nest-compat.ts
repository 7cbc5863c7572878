import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';
import { sharedConfig } from '../vitest.shared.ts';

/** The Nest packages packages/nestjs's sources and tests import, which a compat set replaces. */
const NEST_PACKAGES = [
  '@nestjs/cache-manager',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/terminus',
  '@nestjs/testing',
];

const repo = fileURLToPath(new URL('..', import.meta.url));
const nestjsPackage = join(repo, 'packages/nestjs');

/**
 * A vitest project that runs packages/nestjs's tests with every `@nestjs/*` import of its sources
 * and tests resolved from the compat package at `compatUrl` (its own lockfile-pinned Nest major)
 * instead of packages/nestjs's devDependencies. Dependencies that import Nest themselves
 * (@nestjs/cache-manager, @nestjs/testing, …) are the compat package's too, so pnpm hands them the
 * same Nest copy and only one Nest is loaded.
 */
export function nestCompatProject(options: {
  /** The compat package's `import.meta.url` (its vitest.config.ts). */
  configUrl: string;
  major: number;
  /** unplugin-swc's `swc`, from the compat package's dependencies. */
  swc: { vite(options: { tsconfigFile: string }): NonNullable<UserWorkspaceConfig['plugins']>[number] };
}): UserWorkspaceConfig {
  const { configUrl, major, swc } = options;
  const compatDir = fileURLToPath(new URL('.', configUrl));
  // Each package's directory in pnpm's store: vite reads its package.json from there, for CommonJS
  // Nest 11 and ESM-only Nest 12 alike.
  const dirs = Object.fromEntries(
    NEST_PACKAGES.map((pkg) => [pkg, realpathSync(join(compatDir, 'node_modules', pkg))]),
  );
  const alias = NEST_PACKAGES.map((pkg) => ({
    find: new RegExp(`^${pkg.replace('/', '\\/')}(?=/|$)`),
    replacement: dirs[pkg] as string,
  }));
  return mergeConfig(
    sharedConfig,
    defineProject({
      // Nest resolves constructor dependencies from decorator metadata, which esbuild does not emit.
      plugins: [swc.vite({ tsconfigFile: join(nestjsPackage, 'tsconfig.json') })],
      resolve: { alias },
      test: {
        name: `nestjs on Nest ${major}`,
        dir: repo,
        include: ['packages/nestjs/test/**/*.test.ts', 'compat/test/**/*.test.ts'],
        env: { SENTINEL_KIT_NEST_MAJOR: String(major), SENTINEL_KIT_NEST_DIRS: JSON.stringify(dirs) },
      },
    }),
  );
}
