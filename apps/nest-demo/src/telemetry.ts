import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Starts the OpenTelemetry Node SDK when any `OTEL_*` variable is set, configured by those
 * variables alone (`OTEL_TRACES_EXPORTER=console` prints every span, `OTEL_METRICS_EXPORTER=console`
 * the metrics), so a failover can be watched in the traces: each request's cache calls, the Redis
 * commands under them, and the `sentinel_kit.failover.held` event on the writes a failover held.
 * Without any, the demo runs with no SDK, and sentinel-kit reports nothing.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env): NodeSDK | undefined {
  if (!Object.keys(env).some((name) => name.startsWith('OTEL_'))) return undefined;
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? 'nest-demo',
    instrumentations: [new IORedisInstrumentation()],
  });
  sdk.start();
  return sdk;
}
