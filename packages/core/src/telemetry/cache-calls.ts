import type { Attributes, Context, Span } from '@opentelemetry/api';
import { Cluster, type Redis } from 'ioredis';
import { connectedNode } from '../connector/ioredis/client-internals.js';
import { CALL_KEY, CallRecord, callOpened, callSettled, currentCall, inCall } from './call-record.js';
import { FailoverTelemetry } from './failover-telemetry.js';
import { ATTR, HELD_EVENT } from './names.js';
import { connectionOf } from './observed-connection.js';
import { keyAttribute } from './telemetry-options.js';
import { type ActiveTelemetry, activeTelemetry } from './telemetry-state.js';

/**
 * How each public cache method that talks to Redis is observed:
 * - `read`/`write`: the client it uses by default (a write's node is the master's);
 * - `hit`: how a read tells a hit from a miss (`get` is handed a marker as its default value);
 * - `keys`: where its key or keys are, for the key attribute and the key count.
 */
interface CallKind {
  uses: 'read' | 'write';
  hit?: 'get' | 'getMany' | 'getOrSet';
  keys: 'one' | 'many' | 'entries';
}

const ONE_READ: CallKind = { uses: 'read', keys: 'one' };
const ONE_WRITE: CallKind = { uses: 'write', keys: 'one' };

/** Every method of `Cache` that sends Redis commands; a test holds this list to the class. */
export const OBSERVED_CALLS: Record<string, CallKind> = {
  get: { ...ONE_READ, hit: 'get' },
  getMany: { uses: 'read', hit: 'getMany', keys: 'many' },
  getOrSet: { ...ONE_READ, hit: 'getOrSet' },
  has: ONE_READ,
  ttl: ONE_READ,
  keys: ONE_READ,
  iterKeys: ONE_READ,
  set: ONE_WRITE,
  add: ONE_WRITE,
  setMany: { uses: 'write', keys: 'entries' },
  delete: ONE_WRITE,
  deleteMany: { uses: 'write', keys: 'many' },
  incr: ONE_WRITE,
  decr: ONE_WRITE,
  touch: ONE_WRITE,
  expire: ONE_WRITE,
  persist: ONE_WRITE,
  deletePattern: ONE_WRITE,
  clear: { uses: 'write', keys: 'many' },
  incrVersion: ONE_WRITE,
  decrVersion: ONE_WRITE,
};

/** Public methods that send nothing themselves: a key, a lock object, a client, the release. */
export const UNOBSERVED_METHODS = ['makeKey', 'lock', 'client', 'close'];

/** `get`'s default while observed, so a miss is told from a stored value equal to the caller's default. */
const MISS = Symbol('sentinel_kit.miss');

type Method = (this: object, a?: unknown, b?: unknown, c?: unknown, d?: unknown) => unknown;

/** The methods as they were before `observeCacheCalls`: how bench/telemetry measures the build without it. */
export const unobservedCalls: Record<string, Method> = {};

/**
 * Wraps each method of `OBSERVED_CALLS` on `prototype` (the `Cache` class's) so every call,
 * whoever built the cache, gets a span and metrics while an SDK is registered — and, while none
 * is, costs a check of the registered providers. A call made by another observed call (`add` by
 * `getOrSet`, `decr` → `incr`) is part of it and reports nothing of its own.
 */
export function observeCacheCalls(prototype: object): void {
  const methods = prototype as Record<string, Method>;
  for (const [name, kind] of Object.entries(OBSERVED_CALLS)) {
    const original = methods[name];
    if (typeof original !== 'function') throw new Error(`Cache has no method ${name} to observe`);
    unobservedCalls[name] = original;
    methods[name] =
      name === 'iterKeys' ? observedIterable(name, kind, original) : observedCall(name, kind, original);
  }
}

function observedCall(name: string, kind: CallKind, original: Method): Method {
  // Fixed arity instead of rest arguments: no array per call on the path that reports nothing.
  return function observed(this: object, a?: unknown, b?: unknown, c?: unknown, d?: unknown) {
    const telemetry = activeTelemetry();
    if (telemetry === undefined) return original.call(this, a, b, c, d);
    const outer = currentCall();
    if (outer !== undefined) {
      if (name === 'add' || name === 'set') outer.filled = true;
      return original.call(this, a, b, c, d);
    }
    const call = new Observation(telemetry, this, name, kind, a);
    const userDefault = b;
    if (kind.hit === 'get') b = MISS;
    if (kind.hit === 'getOrSet' && typeof b === 'function') b = call.producer(b as () => unknown);
    let pending: unknown;
    try {
      pending = call.run(() => original.call(this, a, b, c, d));
    } catch (error) {
      call.end(undefined, { error });
      throw error;
    }
    return (pending as Promise<unknown>).then(
      (value) => {
        call.end(value, undefined);
        return value === MISS ? userDefault : value;
      },
      (error: unknown) => {
        call.end(undefined, { error });
        throw error;
      },
    );
  };
}

function observedIterable(name: string, kind: CallKind, original: Method): Method {
  return function observed(this: object, a?: unknown, b?: unknown) {
    const iterable = original.call(this, a, b) as AsyncIterable<unknown>;
    const telemetry = activeTelemetry();
    if (telemetry === undefined || currentCall() !== undefined) return iterable;
    const cache = this;
    // The span covers the iteration, from the first key asked for to the last (or an early break).
    return (async function* observedIteration() {
      const call = new Observation(telemetry, cache, name, kind, a);
      let failure: { error: unknown } | undefined;
      const keys = iterable[Symbol.asyncIterator]();
      try {
        // Each step inside the call, so its SCANs are the span's children and name their node.
        for (
          let step = await call.run(() => keys.next());
          !step.done;
          step = await call.run(() => keys.next())
        ) {
          yield step.value;
        }
      } catch (error) {
        failure = { error };
        throw error;
      } finally {
        await keys.return?.();
        call.end(undefined, failure);
      }
    })();
  };
}

type Outcome = 'hit' | 'miss' | 'ok' | 'error';

/** One observed call: its span, if a tracer is registered, and its metrics. */
class Observation {
  readonly record = new CallRecord();
  private readonly start = performance.now();
  private readonly span: Span | undefined;
  /** The caller's context with this call's span: where the producer of `getOrSet` runs. */
  private readonly spanContext: Context;
  /** `spanContext` marked as inside this call: where the call's own work runs. */
  private readonly callContext: Context;

  constructor(
    private readonly telemetry: ActiveTelemetry,
    private readonly cache: object,
    private readonly name: string,
    private readonly kind: CallKind,
    private readonly firstArgument: unknown,
  ) {
    callOpened();
    const { api, tracer } = telemetry;
    const parent = api.context.active();
    this.span = tracer?.startSpan(
      `cache.${name}`,
      { kind: api.SpanKind.CLIENT, attributes: { [ATTR.dbSystem]: 'redis' } },
      parent,
    );
    this.spanContext = this.span === undefined ? parent : api.trace.setSpan(parent, this.span);
    this.callContext = this.spanContext.setValue(CALL_KEY, this.record);
  }

  /** Runs the call's own work inside it: its commands' spans become children of this one. */
  run<T>(body: () => T): T {
    return inCall(this.record, () => this.telemetry.api.context.with(this.callContext, body));
  }

  /** `getOrSet`'s producer, noted when it runs, and run as the caller's code (its calls are its own). */
  producer(produce: () => unknown): () => unknown {
    return () => {
      this.record.filled = true;
      return this.telemetry.api.context.with(this.spanContext, produce);
    };
  }

  /** The call settled with `value`, or failed (`failure` set). */
  end(value: unknown, failure: { error: unknown } | undefined): void {
    callSettled();
    const end = performance.now();
    const error = failure?.error ?? this.record.ignoredFailure;
    const failed = failure !== undefined || this.record.ignoredFailure !== undefined;
    const outcome: Outcome = failed
      ? 'error'
      : this.kind.hit === undefined
        ? 'ok'
        : this.hit(value)
          ? 'hit'
          : 'miss';
    const alias = (this.cache as { alias?: string }).alias;
    const metrics = this.telemetry.metrics;
    if (metrics !== undefined) {
      const attributes: Attributes = { [ATTR.operation]: this.name, [ATTR.result]: outcome };
      if (alias !== undefined) attributes[ATTR.alias] = alias;
      metrics.operations.add(1, attributes);
      metrics.operationDuration.record((end - this.start) / 1000, attributes);
    }
    const span = this.span;
    if (span === undefined) return;
    if (span.isRecording()) this.describe(span, alias, outcome, end);
    if (failed) {
      const type = errorType(error);
      span.setAttribute(ATTR.errorType, type);
      span.setStatus({ code: this.telemetry.api.SpanStatusCode.ERROR, message: type });
    }
    span.end();
  }

  private hit(value: unknown): boolean {
    switch (this.kind.hit) {
      case 'get':
        return value !== MISS;
      case 'getMany':
        return Object.keys(value as object).length === (this.firstArgument as unknown[]).length;
      default:
        return !this.record.filled;
    }
  }

  private describe(span: Span, alias: string | undefined, outcome: Outcome, end: number): void {
    const attributes: Attributes = {};
    if (alias !== undefined) attributes[ATTR.alias] = alias;
    if (outcome === 'hit' || outcome === 'miss') attributes[ATTR.hit] = outcome === 'hit';
    if (this.kind.keys === 'one') {
      const key = keyAttribute(this.firstArgument);
      if (key !== undefined) attributes[ATTR.key] = key;
    } else if (this.kind.keys === 'many' && Array.isArray(this.firstArgument)) {
      attributes[ATTR.keyCount] = this.firstArgument.length;
    } else if (
      this.kind.keys === 'entries' &&
      typeof this.firstArgument === 'object' &&
      this.firstArgument !== null
    ) {
      attributes[ATTR.keyCount] = Object.keys(this.firstArgument).length;
    }
    const client =
      this.record.client ?? (this.kind.uses === 'write' ? connectionOf(this.cache)?.master() : undefined);
    if (client !== undefined) this.describeNode(span, client, attributes, end);
    span.setAttributes(attributes);
  }

  private describeNode(span: Span, client: Redis | Cluster, attributes: Attributes, end: number): void {
    // A cluster has db 0 alone, and no one node: each command goes where its key's slot lives.
    if (client instanceof Cluster) {
      attributes[ATTR.dbNamespace] = '0';
      return;
    }
    attributes[ATTR.dbNamespace] = String(client.options.db ?? 0);
    const node = connectedNode(client);
    if (node !== undefined) {
      attributes[ATTR.serverAddress] = node.host;
      attributes[ATTR.serverPort] = node.port;
    }
    const heldMs = FailoverTelemetry.of(client)?.heldFor(this.start, end) ?? 0;
    if (heldMs > 0) span.addEvent(HELD_EVENT, { [ATTR.holdDuration]: heldMs / 1000 });
  }
}

/** A low-cardinality name for a failure: the sentinel-kit code, else the error's class name. */
function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_')) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name !== '') return name;
  }
  return '_OTHER';
}
