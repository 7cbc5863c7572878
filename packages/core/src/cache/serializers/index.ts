import { InvalidCacheConfigError } from '../../errors.js';
import type { CacheOptions, Serializer } from '../cache-config.js';
import { jsonSerializer } from './json.js';
import { msgpackSerializer } from './msgpack.js';

export { jsonSerializer } from './json.js';
export { msgpackSerializer } from './msgpack.js';

/** The serializer an `options.serializer` value names. */
export function resolveSerializer(option: CacheOptions['serializer'], alias?: string): Serializer {
  if (option === undefined || option === 'json') return jsonSerializer;
  if (option === 'msgpack') return msgpackSerializer;
  if (
    typeof option === 'object' &&
    typeof option.dumps === 'function' &&
    typeof option.loads === 'function'
  ) {
    return option;
  }
  throw new InvalidCacheConfigError(
    {
      problem: `Unknown "serializer" option ${JSON.stringify(String(option))}`,
      fix: "Use 'json', 'msgpack' or an object with dumps() and loads()",
    },
    alias === undefined ? {} : { alias },
  );
}
