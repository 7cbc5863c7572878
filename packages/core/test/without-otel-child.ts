// Core in a process where @opentelemetry/api cannot be resolved (see without-otel-hook.cjs):
// it must load, serve calls and follow its connector as if telemetry did not exist.
import { createCache } from '../src/index.js';

const location = process.argv[2] as string;
const cache = createCache({ location, keyPrefix: 'no-otel' }, { alias: 'plain' });
try {
  await cache.set('k', { a: 1 });
  const value = await cache.get('k');
  const missing = await cache.get('missing', 'fallback');
  const attempts = (globalThis as { otelLoadAttempts?: number }).otelLoadAttempts;
  process.stdout.write(`${JSON.stringify({ value, missing, attempts })}\n`);
} finally {
  await cache.close();
}
