import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const source = fileURLToPath(new URL('./app.ts', import.meta.url));

/** A bundled fleet app on disk, and how to remove it. */
export interface AppBundle {
  file: string;
  remove(): Promise<void>;
}

/**
 * Bundles the fleet app (`app.ts` with core and ioredis) into one ES module. Each app process then
 * loads plain JavaScript instead of compiling the sources through tsx at start: the difference
 * between 200 apps fitting in this machine's memory and not. `@opentelemetry/api` stays out, as an
 * application would install it; core runs without it.
 */
export async function bundleApp(): Promise<AppBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-kit-fleet-'));
  const file = join(dir, 'app.mjs');
  await build({
    entryPoints: [source],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@opentelemetry/api'],
    // ioredis is CommonJS: its `require`s of Node's modules need a real `require` in an ES module.
    banner: {
      js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
