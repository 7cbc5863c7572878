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

/**
 * django-redis's `JSONSerializer`: the UTF-8 of the JSON text, no header. Values JSON cannot hold
 * faithfully (BigInt, cycles, functions, symbols, Map/Set, NaN/Infinity) throw instead of being
 * silently changed; `undefined` inside an object is dropped and inside an array becomes `null`, as in
 * `JSON.stringify`.
 */
export const jsonSerializer: Serializer = {
  name: 'json',
  dumps(value: unknown): Buffer {
    if (value === undefined) throw new TypeError('the value is undefined; store null, or delete the key');
    const top = unfaithful(value, 'the value');
    if (top !== undefined) throw new TypeError(top);
    const text = JSON.stringify(value, function (this: unknown, name: string, inner: unknown) {
      if (name === '') return inner;
      const problem = unfaithful(inner, `property "${name}"`);
      if (problem !== undefined) throw new TypeError(problem);
      return inner;
    });
    return Buffer.from(text, 'utf8');
  },
  loads(bytes: Buffer): unknown {
    return JSON.parse(bytes.toString('utf8'));
  },
};
