import { randomUUID } from 'node:crypto';
import { Command } from 'ioredis';
import { resendOnlyWithin } from '../connector/resend-window.js';
import { keySlot, slotTag } from '../shared/key-slot.js';
import { type CacheClient, isCluster } from './cache-client.js';

/** Where a script records what one call did: outside every cache's key prefix, so no scan lists it. */
const RECORD_PREFIX = 'sentinel-kit:once:';

/**
 * Runs the cache's non-idempotent scripts (an increment, a version move, an add, a lock release or
 * extension) exactly once although
 * ioredis resends a command whose socket died before its reply. Each call carries a fresh request
 * id; its script records what it did under `sentinel-kit:once:<id>` for `recordMs` (written in the
 * same script as the change, so a replica promoted later holds both or neither), and a resend finds
 * the record and returns the first result instead of applying again. The connector resends a call
 * only within `windowMs` of its first send, well inside the record's life, and fails it with
 * `OutcomeUnknownError` after that.
 *
 * Both spans follow `queueTimeout`, which bounds how long a command waits for a connection to be
 * resent on: the window is 1.5 × and the record 2 × it (22.5 s and 30 s by default). The cost is
 * one short key per call on the master for `recordMs`.
 */
export class OnceScript {
  /** Milliseconds a call's record lives (the scripts take it as their last argument). */
  readonly recordMs: number;
  private readonly windowMs: number;

  constructor(queueTimeoutMs: number) {
    this.recordMs = 2 * queueTimeoutMs;
    this.windowMs = 1.5 * queueTimeoutMs;
  }

  /**
   * EVALs `script` with `keys` and the call's record key after them (its last KEYS entry), and
   * `args` then `recordMs` (its last ARGV entry).
   */
  run(
    client: CacheClient,
    script: string,
    keys: string[],
    args: (string | number | Buffer)[],
  ): Promise<unknown> {
    // On a cluster a script's keys must share a slot: the record takes its first key's.
    const tag = isCluster(client) && keys[0] !== undefined ? slotTag(keySlot(keys[0])) : '';
    const record = `${RECORD_PREFIX}${tag}${randomUUID()}`;
    const command = new Command('eval', [script, keys.length + 1, ...keys, record, ...args, this.recordMs]);
    return client.sendCommand(resendOnlyWithin(command, this.windowMs)) as Promise<unknown>;
  }
}
