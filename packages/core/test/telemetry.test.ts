import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type Cache, configureTelemetry, createCache, InvalidCacheConfigError } from '@sentinel-kit/core';
import { pollUntil, type Standalone, startStandalone } from '@sentinel-kit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OBSERVED_CALLS, UNOBSERVED_METHODS } from '../src/telemetry/cache-calls.js';
import { type OtelSdk, registerOtelSdk } from './otel-sdk.js';

const PASSWORD = 'otel-secret-pw';
const VALUE = 'a value no attribute may hold';

let server: Standalone;
let cache: Cache;
let other: Cache;
let sdk: OtelSdk;

const named = (name: string) => sdk.spans().filter((span) => span.name === name);
const only = (name: string): ReadableSpan => {
  const found = named(name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0] as ReadableSpan;
};

beforeAll(async () => {
  server = await startStandalone({ password: PASSWORD });
  // Built before any SDK is registered, as an application may create its caches first.
  cache = createCache(
    { location: server.location.replace(/\/0$/, '/2'), keyPrefix: 'otel' },
    { alias: 'hp' },
  );
  other = createCache({ location: server.location, keyPrefix: 'other' }, { alias: 'other' });
  await cache.set('warm', 1);
  sdk = registerOtelSdk();
});

afterAll(async () => {
  await cache?.close();
  await other?.close();
  await sdk?.stop();
  await server?.stop();
});

afterEach(() => {
  sdk.reset();
  configureTelemetry({ keyAttributeLength: 0 });
});

describe('spans', () => {
  it('a span per call, named after it, with the database conventions and the node that answered', async () => {
    await cache.delete('k');
    expect(await cache.get('k', 'fallback')).toBe('fallback');
    expect(await cache.set('k', VALUE)).toBe(true);
    expect(await cache.get('k', 'fallback')).toBe(VALUE);
    const gets = named('cache.get');
    expect(gets.map((s) => s.attributes['sentinel_kit.cache.hit'])).toEqual([false, true]);
    for (const span of [...gets, only('cache.set'), only('cache.delete')]) {
      expect(span.instrumentationScope.name).toBe('@sentinel-kit/core');
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes).toMatchObject({
        'db.system.name': 'redis',
        'db.namespace': '2',
        'server.address': '127.0.0.1',
        'server.port': server.port,
        'sentinel_kit.cache.alias': 'hp',
      });
    }
    expect(only('cache.set').attributes['sentinel_kit.cache.hit']).toBeUndefined();
  });

  it('a get that finds a stored value equal to its default is a hit', async () => {
    await cache.set('same', 'dflt');
    expect(await cache.get('same', 'dflt')).toBe('dflt');
    expect(only('cache.get').attributes['sentinel_kit.cache.hit']).toBe(true);
  });

  it('no password, no value, and no key unless keyAttributeLength allows it, cut to that length', async () => {
    await cache.set('user:alice@example.com', VALUE);
    await cache.getMany(['user:alice@example.com', 'missing']);
    configureTelemetry({ keyAttributeLength: 6 });
    await cache.get('user:alice@example.com');
    const texts = sdk
      .spans()
      .flatMap((span) => [
        ...Object.values(span.attributes).map(String),
        ...span.events.flatMap((e) => Object.values(e.attributes ?? {}).map(String)),
        span.status.message ?? '',
      ]);
    expect(texts.some((text) => text.includes(PASSWORD) || text.includes(VALUE))).toBe(false);
    expect(only('cache.set').attributes['sentinel_kit.cache.key']).toBeUndefined();
    expect(only('cache.getMany').attributes).toMatchObject({
      'sentinel_kit.cache.keys': 2,
      'sentinel_kit.cache.hit': false,
    });
    expect(only('cache.get').attributes['sentinel_kit.cache.key']).toBe('user:a');
  });

  it('keyAttributeLength must be a whole number', () => {
    expect(() => configureTelemetry({ keyAttributeLength: -1 })).toThrow(InvalidCacheConfigError);
    expect(() => configureTelemetry({ keyAttributeLength: 1.5 })).toThrow(/keyAttributeLength/);
  });

  it('a failed call: error.type and an error status, with no message beyond the type', async () => {
    await cache.delete('nothing');
    await expect(cache.incr('nothing')).rejects.toMatchObject({ code: 'ERR_KEY_NOT_FOUND' });
    const span = only('cache.incr');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_KEY_NOT_FOUND' });
    expect(span.attributes['error.type']).toBe('ERR_KEY_NOT_FOUND');
  });

  it("nests under the caller's active span", async () => {
    const tracer = trace.getTracer('app');
    await tracer.startActiveSpan('GET /page', async (request) => {
      await cache.get('k');
      await cache.has('k');
      request.end();
    });
    const request = only('GET /page');
    for (const name of ['cache.get', 'cache.has']) {
      const span = only(name);
      expect(span.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    }
  });

  it('a call made by another call is part of it; a producer runs as the caller and its calls have their own spans', async () => {
    await cache.delete('filled');
    await cache.add('filled', 1);
    expect(sdk.spans().map((s) => s.name)).toEqual(['cache.delete', 'cache.add']);
    sdk.reset();
    const produced = await cache.getOrSet('gos', async () => {
      await other.get('inside-the-producer');
      return 'made';
    });
    expect(produced).toBe('made');
    const getOrSet = only('cache.getOrSet');
    expect(getOrSet.attributes['sentinel_kit.cache.hit']).toBe(false);
    const inner = only('cache.get');
    expect(inner.attributes['sentinel_kit.cache.alias']).toBe('other');
    expect(inner.parentSpanContext?.spanId).toBe(getOrSet.spanContext().spanId);
    sdk.reset();
    expect(await cache.getOrSet('gos', () => 'not run')).toBe('made');
    expect(only('cache.getOrSet').attributes['sentinel_kit.cache.hit']).toBe(true);
    await cache.delete('gos');
  });

  it('iterKeys: one span over the iteration', async () => {
    await cache.set('scan:1', 1);
    const found: string[] = [];
    for await (const key of cache.iterKeys('scan:*')) found.push(key);
    expect(found).toEqual(['scan:1']);
    expect(only('cache.iterKeys').attributes).toMatchObject({
      'db.namespace': '2',
      'server.port': server.port,
    });
    let first: string | undefined;
    for await (const key of cache.iterKeys('scan:*')) {
      first = key;
      break;
    }
    expect(first).toBe('scan:1');
    expect(named('cache.iterKeys')).toHaveLength(2);
  });

  it('every public method that sends commands is observed', () => {
    const proto = Object.getPrototypeOf(cache) as object;
    const methods = Object.getOwnPropertyNames(proto).filter(
      (name) =>
        name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function',
    );
    // The class's private methods are methods at run time too: read their names from its source.
    const source = readFileSync(new URL('../src/cache/cache.ts', import.meta.url), 'utf8');
    const privates = [...source.matchAll(/^ {2}private (?:async )?(\w+)[<(]/gm)].map((m) => m[1]);
    expect(methods.filter((m) => !privates.includes(m)).sort()).toEqual(
      [...Object.keys(OBSERVED_CALLS), ...UNOBSERVED_METHODS].sort(),
    );
  });
});

describe('ioredis instrumentation', () => {
  it("the command spans of @opentelemetry/instrumentation-ioredis are children of the call's span", async () => {
    const instrumentation = new IORedisInstrumentation();
    instrumentation.setTracerProvider(sdk.tracerProvider);
    instrumentation.enable();
    // The instrumentation patches ioredis where it is required; this is the copy core uses.
    createRequire(import.meta.url)('ioredis');
    try {
      await cache.get('k');
      await cache.delete('k');
    } finally {
      instrumentation.disable();
    }
    for (const [call, command] of [
      ['cache.get', 'get'],
      ['cache.delete', 'del'],
    ]) {
      const parent = only(call as string);
      const children = sdk.spans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
      expect(children.map((s) => s.name)).toEqual([command]);
    }
  });
});

describe('metrics', () => {
  it('operations by alias, operation and result, and their durations in seconds', async () => {
    const ops = (operation: string, result: string) =>
      sdk.count('sentinel_kit.cache.operations', {
        'sentinel_kit.cache.alias': 'hp',
        'sentinel_kit.cache.operation': operation,
        'sentinel_kit.cache.result': result,
      });
    const before = {
      hit: await ops('get', 'hit'),
      miss: await ops('get', 'miss'),
      set: await ops('set', 'ok'),
    };
    await cache.set('m', 1);
    await cache.get('m');
    await cache.get('m');
    await cache.get('m-missing');
    await cache.incr('m-missing').catch(() => {});
    expect(await ops('get', 'hit')).toBe(before.hit + 2);
    expect(await ops('get', 'miss')).toBe(before.miss + 1);
    expect(await ops('set', 'ok')).toBe(before.set + 1);
    expect(await ops('incr', 'error')).toBeGreaterThanOrEqual(1);
    const durations = await sdk.histogram('sentinel_kit.cache.operation.duration', {
      'sentinel_kit.cache.operation': 'get',
      'sentinel_kit.cache.result': 'hit',
    });
    expect(durations.unit).toBe('s');
    const [point] = durations.points;
    expect(point?.value.count).toBeGreaterThanOrEqual(2);
    // Seconds: a loopback GET is well under a second, and more than nothing.
    expect(point?.value.max).toBeLessThan(1);
    expect(point?.value.sum).toBeGreaterThan(0);
  });

  it('with ignoreExceptions, a swallowed failure still counts as an error', async () => {
    const lenient = createCache(
      {
        location: 'redis://127.0.0.1:1/0',
        options: { ignoreExceptions: true, queueTimeout: 100, logger: {} },
      },
      { alias: 'lenient' },
    );
    try {
      expect(await lenient.get('k', 'fallback')).toBe('fallback');
    } finally {
      await lenient.close();
    }
    const span = only('cache.get');
    expect(span.attributes['error.type']).toBe('ERR_NODE_UNAVAILABLE');
    expect(
      await sdk.count('sentinel_kit.cache.operations', {
        'sentinel_kit.cache.alias': 'lenient',
        'sentinel_kit.cache.result': 'error',
      }),
    ).toBe(1);
  });

  it('the near cache: hits, misses and entries per alias, read at collection', async () => {
    const near = createCache(
      { location: server.location, keyPrefix: 'near', options: { nearCache: true } },
      { alias: 'near' },
    );
    try {
      await near.set('n', 1);
      // Kept once its tracking connection is up: read until memory answers.
      await pollUntil(async () => (await near.get('n')) === 1 && (near.nearCache?.hits ?? 0) > 0, {
        description: 'a near-cache hit',
      });
      const alias = { 'sentinel_kit.cache.alias': 'near' };
      const stats = near.nearCache;
      expect(stats?.hits).toBeGreaterThan(0);
      expect(await sdk.count('sentinel_kit.near_cache.hits', alias)).toBe(stats?.hits);
      expect(await sdk.count('sentinel_kit.near_cache.misses', alias)).toBe(stats?.misses);
      expect(await sdk.count('sentinel_kit.near_cache.size', alias)).toBe(1);
    } finally {
      await near.close();
    }
  });
});
