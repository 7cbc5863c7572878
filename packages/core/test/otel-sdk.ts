// The OpenTelemetry SDK as an application registers it, with in-memory exporters, for the telemetry tests.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type DataPoint, type Histogram, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Collects only when asked, so a test reads exactly what was recorded so far. */
class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface OtelSdk {
  tracerProvider: BasicTracerProvider;
  spans(): ReadableSpan[];
  /** Sum of the counter `name`'s points whose attributes include `match`. */
  count(name: string, match: Record<string, unknown>): Promise<number>;
  /** The histogram `name`'s points whose attributes include `match`. */
  histogram(
    name: string,
    match: Record<string, unknown>,
  ): Promise<{ unit: string; points: DataPoint<Histogram>[] }>;
  reset(): void;
  stop(): Promise<void>;
}

const includes = (attributes: Record<string, unknown>, match: Record<string, unknown>) =>
  Object.entries(match).every(([key, value]) => attributes[key] === value);

/** Registers a tracer provider, a meter provider and the async-hooks context manager globally. */
export function registerOtelSdk(): OtelSdk {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  const collect = async (name: string) => {
    const { resourceMetrics } = await reader.collect();
    const found = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === name);
    return { unit: found?.descriptor.unit ?? '', points: (found?.dataPoints ?? []) as DataPoint<unknown>[] };
  };
  return {
    tracerProvider,
    spans: () => exporter.getFinishedSpans(),
    count: async (name, match) =>
      (await collect(name)).points
        .filter((p) => includes(p.attributes, match))
        .reduce((sum, p) => sum + (p.value as number), 0),
    histogram: async (name, match) => {
      const { unit, points } = await collect(name);
      return { unit, points: points.filter((p) => includes(p.attributes, match)) as DataPoint<Histogram>[] };
    },
    reset: () => exporter.reset(),
    stop: async () => {
      trace.disable();
      metrics.disable();
      context.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
