import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';

export type Otel = typeof OtelApi;

/**
 * `@opentelemetry/api` as the application installed it, or `undefined` when it did not: it is an
 * optional peer dependency, never bundled, because a span made through a second copy of the API
 * that the SDK was not registered with is silently dropped. Loaded through `require` in both
 * builds (the API ships CommonJS), so core stays synchronous to import; copies of the API share
 * their registered providers through a global, so an application importing the API's ES module
 * build still sees these spans.
 */
export const otel: Otel | undefined = loadOtel();

function loadOtel(): Otel | undefined {
  try {
    const load = typeof require === 'function' ? require : createRequire(import.meta.url);
    return load('@opentelemetry/api') as Otel;
  } catch {
    return undefined;
  }
}
