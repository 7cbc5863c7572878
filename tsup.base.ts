import type { Options } from 'tsup';

/** Every package builds the same way: ESM + CJS, declarations for both, for Node 20. */
export const packageBuild: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
};
