import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import { workspaceAliases } from '../../../../vitest.shared.ts';

/**
 * Runs a peer's own test files (copied by run.sh into PEER_SUITE_DIR) against our stores. Only the
 * wiring differs from the peer's run: which module `../src/index.js` and `keyv` are.
 *   PEER_SUITE=cache-manager  cache-manager 7's tests; `keyv` is wiring/keyv.ts, whose store-less
 *                             Keyv is a KeyvSentinelStore, and cache-manager itself is the published one
 *   PEER_SUITE=keyv-redis     @keyv/redis's tests; `../src/index.js` is wiring/keyv-redis.ts
 */
const suite = process.env.PEER_SUITE ?? 'cache-manager';
const dir = process.env.PEER_SUITE_DIR;
if (dir === undefined) throw new Error('PEER_SUITE_DIR is not set: run the suites with run.sh');

const wiring = (file: string) => fileURLToPath(new URL(`./wiring/${file}`, import.meta.url));
const cacheManager = fileURLToPath(
  new URL('../../node_modules/cache-manager/dist/index.mjs', import.meta.url),
);

/** `keyv` → wiring/keyv.ts for everyone but wiring/keyv.ts itself, which builds on the original. */
const keyvWiring = (): Plugin => ({
  name: 'peer-suite-keyv',
  enforce: 'pre',
  async resolveId(source, importer) {
    if (source !== 'keyv' || importer === wiring('keyv.ts')) return null;
    return wiring('keyv.ts');
  },
});

export default defineConfig({
  root: dir,
  plugins: suite === 'cache-manager' ? [keyvWiring()] : [],
  resolve: {
    alias: [
      ...Object.entries(workspaceAliases).map(([find, replacement]) => ({ find, replacement })),
      {
        find: /^\.\.\/src\/index\.js$/,
        replacement: suite === 'cache-manager' ? cacheManager : wiring('keyv-redis.ts'),
      },
      ...(suite === 'cache-manager'
        ? [{ find: /^@keyv\/redis$/, replacement: wiring('keyv-redis.ts') }]
        : []),
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // cache-manager's adapter for cache-manager 5 stores, tested over cache-manager-redis-yet on a
    // Redis at localhost:6379: no Keyv store of ours is involved (see README.md).
    exclude: suite === 'cache-manager' ? ['test/keyv-adapter.test.ts'] : [],
    // Processed by vite, so its own `keyv` import gets the wiring too (its default store).
    server: { deps: { inline: [/cache-manager/] } },
    globalSetup: [wiring('global-setup.ts')],
    setupFiles: [wiring('setup.ts')],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
