import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.ts';

// Every constructor parameter in src carries an explicit @Inject(token), so the build does not
// depend on decorator metadata (which esbuild cannot emit).
export default defineConfig({ ...packageBuild, entry: ['src/index.ts'] });
