import type { Serializer } from '../cache-config.js';

/**
 * Why a value would not survive `JSON.stringify` → `JSON.parse` unchanged, or `undefined` when it
 * would. JSON turns these into `{}`, `null` or nothing without a word; a cache must not.
 */
function unfaithful(value: unknown, path: string): string | undefined {
  switch (typeof value) {
    case 'bigint':
      return `${path} is a BigInt, which JSON cannot represent; store it as a string or a safe integer`;
    case 'function':
      return `${path} is a function, which JSON cannot represent`;
    case 'symbol':
      return `${path} is a symbol, which JSON cannot represent`;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON writes as null`;
    default:
      break;
  }
  if (value instanceof Map || value instanceof Set || value instanceof WeakMap || value instanceof WeakSet) {
    return `${path} is a ${value.constructor.name}, which JSON writes as {}; convert it to an object or array`;
  }
  return undefined;
}

/** The JSON serializer's type: its `dumps` gives text. */
export interface JsonSerializer extends Serializer {
  dumps(value: unknown): string;
}

/**
 * django-redis's `JSONSerializer`: the UTF-8 of the JSON text, no header. Values JSON cannot hold
 * faithfully (BigInt, cycles, functions, symbols, Map/Set, NaN/Infinity) throw instead of being
 * silently changed; `undefined` inside an object is dropped and inside an array becomes `null`, as in
 * `JSON.stringify`.
 */
export const jsonSerializer: JsonSerializer = {
  name: 'json',
  // Text, not a Buffer: ioredis writes a string argument straight into the command, while a Buffer
  // argument costs it an extra copy (measured in bench/cache).
  dumps(value: unknown): string {
    if (value === undefined) throw new TypeError('the value is undefined; store null, or delete the key');
    const top = unfaithful(value, 'the value');
    if (top !== undefined) throw new TypeError(top);
    // A replacer takes JSON.stringify off its fast path; a primitive has nothing inside to check.
    if (typeof value !== 'object' || value === null) return JSON.stringify(value);
    const text = JSON.stringify(value, function (this: unknown, name: string, inner: unknown) {
      if (name === '') return inner;
      const problem = unfaithful(inner, `property "${name}"`);
      if (problem !== undefined) throw new TypeError(problem);
      return inner;
    });
    return text;
  },
  loads(bytes: Buffer): unknown {
    return JSON.parse(bytes.toString('utf8'));
  },
};
