// The OpenTelemetry SDK the way an application registers it, for the telemetry benchmarks, with
// exporters that keep nothing (the cost measured is the recording, not an export's I/O).
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/** Exports into the void, at once. */
const discard: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  shutdown: async () => {},
};

/** Collects only when asked: what a Prometheus scrape does. */
export class ScrapeReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface RegisteredSdk {
  reader: ScrapeReader;
  unregister(): Promise<void>;
}

/** Registers a tracer provider (sampling every span, or none), a meter provider and the context manager. */
export function registerSdk(options: { sampling: boolean }): RegisteredSdk {
  const tracerProvider = new BasicTracerProvider({
    sampler: options.sampling ? new AlwaysOnSampler() : new AlwaysOffSampler(),
    spanProcessors: [new BatchSpanProcessor(discard)],
  });
  const reader = new ScrapeReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    reader,
    unregister: async () => {
      trace.disable();
      metrics.disable();
      context.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
