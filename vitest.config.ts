import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'compat/*/vitest.config.ts', 'tests'],
    // Two cores run real redis topologies: more parallel files only make failover timings noisy.
    maxWorkers: 2,
  },
});
