import type { Serializer } from '../cache-config.js';

/** A value JSON would store as something else; the message says what and where. */
class Unfaithful extends TypeError {}

const described = (name: string | number | undefined): string =>
  name === undefined ? 'the value' : `property "${name}"`;

const refusal = (name: string | number | undefined, problem: string): Unfaithful =>
  new Unfaithful(`${described(name)} ${problem}`);

/**
 * Throws when `value` would not survive `JSON.stringify` → `JSON.parse` unchanged: JSON turns these
 * into `{}`, `null`, `{"type":"Buffer",…}` or nothing without a word, and a cache must not. One walk
 * in plain JavaScript before a `JSON.stringify` without replacer: a replacer is called through the
 * engine for every value and takes `JSON.stringify` off its fast path (14× slower on a large array),
 * where this walk costs a `typeof` per value. `ancestors` is the path from the top, for cycles.
 */
function check(value: unknown, name: string | number | undefined, ancestors: object[]): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      // `undefined` in an object is dropped and in an array becomes null, as JSON.stringify does.
      return;
    case 'number':
      if (!Number.isFinite(value)) throw refusal(name, `is ${value}, which JSON writes as null`);
      return;
    case 'bigint':
      throw refusal(name, 'is a BigInt, which JSON cannot represent; store it as a string or a safe integer');
    case 'function':
      throw refusal(name, 'is a function, which JSON cannot represent');
    case 'symbol':
      throw refusal(name, 'is a symbol, which JSON cannot represent');
    default:
      break;
  }
  if (value === null) return;
  checkObject(value as object, name, ancestors);
}

function checkObject(value: object, name: string | number | undefined, ancestors: object[]): void {
  if (Array.isArray(value)) {
    enter(value, name, ancestors);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      // The common case of a large array, checked without a call per element.
      if (typeof item === 'number' ? !Number.isFinite(item) : typeof item !== 'string')
        check(item, i, ancestors);
    }
    ancestors.pop();
    return;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw refusal(name, 'is an invalid Date, which JSON writes as null');
    return;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    throw refusal(
      name,
      `is a ${value.constructor.name} (bytes), which JSON writes as an object of numbers; store bytes with the "msgpack" serializer, or as base64 text`,
    );
  }
  if (value instanceof Map || value instanceof Set || value instanceof WeakMap || value instanceof WeakSet) {
    throw refusal(
      name,
      `is a ${value.constructor.name}, which JSON writes as {}; convert it to an object or array`,
    );
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // JSON stores what toJSON returns; that is what must be faithful.
    check(toJSON.call(value, name === undefined ? '' : String(name)), name, ancestors);
    return;
  }
  enter(value, name, ancestors);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) check(record[key], key, ancestors);
  ancestors.pop();
}

function enter(value: object, name: string | number | undefined, ancestors: object[]): void {
  if (ancestors.includes(value)) throw refusal(name, 'refers back to an object that contains it (a cycle)');
  ancestors.push(value);
}

/** The JSON serializer's type: its `dumps` gives text. */
export interface JsonSerializer extends Serializer {
  dumps(value: unknown): string;
}

/**
 * django-redis's `JSONSerializer`: the UTF-8 of the JSON text, no header. Values JSON cannot hold
 * faithfully throw instead of being silently changed: BigInt, cycles, functions, symbols, Map, Set,
 * `NaN`/`Infinity`, an invalid Date, and bytes (Buffer, typed arrays, ArrayBuffer: JSON would store
 * `{"type":"Buffer","data":[…]}`, a number per byte; the `msgpack` serializer stores bytes as bytes).
 * A Date is stored as its ISO text, as Django's `DjangoJSONEncoder` stores a datetime, and reads
 * back as that text. `undefined` inside an object is dropped and inside an array becomes `null`, as
 * in `JSON.stringify`. Serializing runs on the event loop: a value of tens of megabytes blocks it
 * for as long as `JSON.stringify` takes (about a second for 26 million numbers).
 */
export const jsonSerializer: JsonSerializer = {
  name: 'json',
  // Text, not a Buffer: ioredis writes a string argument straight into the command, while a Buffer
  // argument costs it an extra copy (measured in bench/cache).
  dumps(value: unknown): string {
    if (value === undefined) throw new TypeError('the value is undefined; store null, or delete the key');
    check(value, undefined, []);
    return JSON.stringify(value);
  },
  loads(bytes: Buffer): unknown {
    return JSON.parse(bytes.toString('utf8'));
  },
};
