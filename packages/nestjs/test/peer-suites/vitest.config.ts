import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../../vitest.shared.ts';

/**
 * Runs @nestjs/cache-manager's own e2e files (copied by packages/keyv/test/peer-suites/run.sh into
 * PEER_SUITE_DIR) against our store. Only the wiring differs from the peer's run: `lib` (its source)
 * is the published package with wiring/cache-module.ts's CacheModule, and @keyv/redis is ours.
 */
const dir = process.env.PEER_SUITE_DIR;
if (dir === undefined) throw new Error('PEER_SUITE_DIR is not set: run the suites with run.sh');

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const fromNest = createRequire(here('../../package.json'));
const keyvWiring = (file: string) => here(`../../../keyv/test/peer-suites/wiring/${file}`);
// The test files live outside the repository, so the packages they import resolve from here.
const bare = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/testing',
  '@nestjs/platform-express',
  'supertest',
  'rxjs',
  'reflect-metadata',
  'keyv',
];

export default defineConfig({
  root: dir,
  plugins: [swc.vite({ tsconfigFile: here('../../tsconfig.json') })],
  resolve: {
    alias: [
      ...Object.entries(workspaceAliases).map(([find, replacement]) => ({ find, replacement })),
      {
        find: /^(\.\.\/)+lib\/cache\.providers$/,
        replacement: join(dirname(fromNest.resolve('@nestjs/cache-manager')), 'cache.providers.js'),
      },
      { find: /^(\.\.\/)+lib$/, replacement: here('./wiring/cache-module.ts') },
      { find: /^@keyv\/redis$/, replacement: keyvWiring('keyv-redis.ts') },
      ...bare.map((name) => ({
        find: new RegExp(`^${name.replace('/', '\\/')}$`),
        replacement: fromNest.resolve(name),
      })),
    ],
  },
  test: {
    include: ['tests/e2e/**/*.spec.ts'],
    globals: true,
    sequence: { hooks: 'stack' },
    globalSetup: [keyvWiring('global-setup.ts')],
    setupFiles: [keyvWiring('setup.ts')],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
