import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineProject, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// Nest resolves constructor dependencies from decorator metadata, which esbuild does not emit.
export default mergeConfig(
  sharedConfig,
  defineProject({
    plugins: [swc.vite({ tsconfigFile: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) })],
    test: { include: ['test/**/*.test.ts'] },
  }),
);
