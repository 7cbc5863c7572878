import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/** Tests import workspace packages from their sources, so a test run needs no build. */
export const workspaceAliases: Record<string, string> = {
  '@sentinel-kit/core': src('core'),
  '@sentinel-kit/testkit': src('testkit'),
  '@sentinel-kit/keyv': src('keyv'),
  '@sentinel-kit/nestjs': src('nestjs'),
  '@sentinel-kit/express-session': src('express-session'),
  '@sentinel-kit/cli': src('cli'),
};

/** The settings every package's vitest project shares: real servers, so generous timeouts. */
export const sharedConfig: ViteUserConfig = {
  resolve: { alias: workspaceAliases },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    pool: 'forks',
  },
};
