import type { Counter, Histogram, Meter, MeterProvider, Tracer, TracerProvider } from '@opentelemetry/api';
import { METRIC, SCOPE } from './names.js';
import { observeNearCaches } from './near-cache-metrics.js';
import { type Otel, otel } from './otel-api.js';

/** Bucket bounds in seconds: a cache call takes from a fraction of a millisecond to a queueTimeout. */
const CALL_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15,
];
/** Bucket bounds in seconds for a failover: held writes and resumption take tens of ms to seconds. */
const FAILOVER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/** What telemetry has to work with while the application has registered an SDK. */
export interface ActiveTelemetry {
  api: Otel;
  /** Undefined while only a meter provider is registered. */
  tracer: Tracer | undefined;
  /** Undefined while only a tracer provider is registered. */
  metrics: Instruments | undefined;
}

export interface Instruments {
  operations: Counter;
  operationDuration: Histogram;
  failovers: Counter;
  holdDuration: Histogram;
  resumeDuration: Histogram;
}

/**
 * Where every copy of API 1.x registers the application's providers, so that copies share them:
 * the API's own cross-copy contract. Reading it directly is the one check a call makes while no SDK
 * is registered: cheaper than asking the API for both providers.
 */
const REGISTRY = Symbol.for('opentelemetry.js.api.1');
interface Registry {
  trace?: unknown;
  metrics?: unknown;
}

let seenTracers: TracerProvider | undefined;
let seenMeters: MeterProvider | undefined;
let active: ActiveTelemetry | undefined;
/** The delegate of a proxy no SDK was registered with. */
const idleDelegate = otel === undefined ? undefined : new otel.ProxyTracerProvider().getDelegate();

/**
 * The telemetry to report through, or `undefined` while no SDK is registered (or the API is not
 * installed): then a cache call costs two property lookups more. Asked on every call, because an
 * application may register its SDK after creating its caches; the tracer and the instruments are
 * rebuilt only when a provider changes.
 */
export function activeTelemetry(): ActiveTelemetry | undefined {
  if (otel === undefined) return undefined;
  const registered = (globalThis as Record<symbol, Registry | undefined>)[REGISTRY];
  if (registered?.trace === undefined && registered?.metrics === undefined) return undefined;
  const tracers = otel.trace.getTracerProvider();
  const meters = otel.metrics.getMeterProvider();
  if (tracers !== seenTracers || meters !== seenMeters) {
    seenTracers = tracers;
    seenMeters = meters;
    active = build(otel, tracers, meters);
  }
  return active;
}

function build(api: Otel, tracers: TracerProvider, meters: MeterProvider): ActiveTelemetry | undefined {
  // Until an SDK registers, the API hands out its own proxy (its delegate a no-op) and a no-op meter.
  const tracing = !(tracers instanceof api.ProxyTracerProvider) || tracers.getDelegate() !== idleDelegate;
  const meter = meters.getMeter(SCOPE);
  const metering = meter.constructor !== api.createNoopMeter().constructor;
  if (!tracing && !metering) return undefined;
  return {
    api,
    tracer: tracing ? tracers.getTracer(SCOPE) : undefined,
    metrics: metering ? instruments(meter) : undefined,
  };
}

function instruments(meter: Meter): Instruments {
  observeNearCaches(meter);
  const seconds = (name: string, description: string, buckets: number[]) =>
    meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: buckets } });
  return {
    operations: meter.createCounter(METRIC.operations, {
      description: 'Cache calls, by alias, operation and result (hit, miss, ok, error)',
    }),
    operationDuration: seconds(METRIC.operationDuration, 'Duration of cache calls', CALL_BUCKETS),
    failovers: meter.createCounter(METRIC.failovers, {
      description: 'Master switches a connector followed',
    }),
    holdDuration: seconds(
      METRIC.holdDuration,
      'How long a connector held new writes while a failover was open',
      FAILOVER_BUCKETS,
    ),
    resumeDuration: seconds(
      METRIC.resumeDuration,
      'From the master switch to the first command the new master acknowledged',
      FAILOVER_BUCKETS,
    ),
  };
}
