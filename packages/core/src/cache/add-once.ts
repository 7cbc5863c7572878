import type { CacheClient } from './cache-client.js';
import type { OnceScript } from './once-script.js';

// SET NX with the call's record (KEYS[2], see OnceScript) written beside it: a plain SET NX that
// applied before its reply was lost answers its own resend "taken", and the caller whose add won
// would be told it lost. Both outcomes are recorded, so a resend returns the first one whatever
// happened to the key in between. ARGV[2] is milliseconds to live, '0' for no expiry.
const ADD = `local done = redis.call('get', KEYS[2])
if done then return tonumber(done) end
local stored
if ARGV[2] == '0' then stored = redis.call('set', KEYS[1], ARGV[1], 'nx')
else stored = redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2], 'nx') end
local result = stored and 1 or 0
redis.call('set', KEYS[2], result, 'px', ARGV[3])
return result`;

/**
 * Stores `value` at `redisKey` only when it has none, for `ms` milliseconds (`null` = no expiry),
 * exactly once: true when this call stored it. Sent on its own rather than in the write batcher's
 * script, since each add needs its own record.
 */
export async function addOnce(
  once: OnceScript,
  client: CacheClient,
  redisKey: string,
  value: string | Buffer,
  ms: number | null,
): Promise<boolean> {
  return (await once.run(client, ADD, [redisKey], [value, ms ?? 0])) === 1;
}
