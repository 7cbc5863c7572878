// Run by scripts/check-install.sh inside a fresh npm project where the packed packages were
// installed beside Nest 12: loads every package through import and require, then, on a topology the
// packed testkit starts, writes through the packed core and reads it back through the Nest module.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const packages = ['core', 'keyv', 'nestjs', 'express-session', 'cli', 'testkit'].map(
  (p) => `@sentinel-kit/${p}`,
);
for (const name of packages) {
  const esm = await import(name);
  const cjs = require(name);
  if (Object.keys(esm).length === 0 || Object.keys(cjs).length === 0)
    throw new Error(`${name} exports nothing`);
}
console.log(`install-check: ${packages.length} packages load through import and require`);

await import('reflect-metadata');
const { NestFactory } = await import('@nestjs/core');
const { CACHE_MANAGER } = await import('@nestjs/cache-manager');
const { createCaches } = await import('@sentinel-kit/core');
const { SentinelCacheModule, getCacheToken } = require('@sentinel-kit/nestjs'); // the CommonJS build
const { startTopology } = await import('@sentinel-kit/testkit');

const topo = await startTopology({ replicas: 1 });
try {
  const caches = createCaches({ default: { location: topo.location, keyPrefix: 'dj' } });
  await caches.default.set('name', { first: 'Ada' }, 60);
  await caches.close();
  const app = await NestFactory.createApplicationContext(
    SentinelCacheModule.forRoot({ caches: { default: { location: topo.location, keyPrefix: 'dj' } } }),
    { logger: false },
  );
  try {
    const fromCache = await app.get(getCacheToken('default')).get('name');
    const fromManager = await app.get(CACHE_MANAGER).get('name');
    if (fromCache?.first !== 'Ada' || fromManager?.first !== 'Ada') {
      throw new Error(`read back ${JSON.stringify({ fromCache, fromManager })}, not { first: 'Ada' }`);
    }
  } finally {
    await app.close();
  }
  const { version } = require('@nestjs/core/package.json');
  console.log(`install-check: Nest ${version} reads through CACHE_MANAGER what core wrote (dj:1:name)`);
} finally {
  await topo.stop();
}
