import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { startDemoCaches } from './demo-caches.js';
import { startTelemetry } from './telemetry.js';

// Before the caches and the app: ioredis is instrumented, and every cache reports from its first call.
const telemetry = startTelemetry();
const demo = await startDemoCaches();
const app = await NestFactory.create(AppModule.forCaches(demo.config), { logger: ['error', 'warn'] });
await app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');

const url = (await app.getUrl()).replace('[::1]', 'localhost');
console.log(`nest-demo listening on ${url}`);
for (const [alias, location] of Object.entries(demo.locations))
  console.log(`  cache "${alias}": ${location}`);
if (demo.topology) console.log('  (embedded topology; set CACHES_DEFAULT_LOCATION etc. to use your own)');
console.log(
  `  try: curl ${url}/catalog · curl -X POST ${url}/counter/hit · curl ${url}/sentinels · curl ${url}/health`,
);

// The app closes its caches first, then the embedded topology stops: in that order, nothing
// reconnects to a server that is going away. No process.exit(): with every socket and timer
// closed, Node exits on its own, which is the proof that nothing was left open.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    if (stopping) return;
    stopping = true;
    await app.close();
    await demo.stop();
    await telemetry?.shutdown();
  });
}
