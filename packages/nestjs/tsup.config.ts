import { defineConfig } from 'tsup';

// Every constructor parameter in src carries an explicit @Inject(token), so the build does not
// depend on decorator metadata (which esbuild cannot emit).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
