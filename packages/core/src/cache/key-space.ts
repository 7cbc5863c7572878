import { escapeGlob } from '../shared/glob-escape.js';
import { type CacheClient, deleteAcross, isCluster, scanTargets } from './cache-client.js';
import type { KeyFunction } from './cache-config.js';
import type { CommandRunner } from './command-runner.js';
import { isOwnKey } from './key-function.js';

const SCAN_COUNT = 1000;
const DELETE_BATCH = 500;

/** What a key space needs of its cache. */
export interface KeySpaceSettings {
  keyPrefix: string;
  keyFunction: KeyFunction;
  reverseKey: (redisKey: string, keyPrefix: string, version: number) => string | undefined;
  /** True when the user replaced Django's key layout: `clear()` then matches what it builds. */
  customKeyFunction: boolean;
  runner: CommandRunner;
  reader(): CacheClient;
  master(): CacheClient;
}

/**
 * The cache's keys as a whole — `keys`, `iterKeys`, `deletePattern`, `clear` — by SCAN with a
 * `MATCH` built from the key function, never `KEYS` or `FLUSHDB`; on a cluster, SCAN of every
 * master and UNLINK per slot.
 */
export class KeySpace {
  constructor(private readonly settings: KeySpaceSettings) {}

  /** The user keys matching the glob `pattern` at `version`, streamed by SCAN on the read client. */
  async *iterKeys(pattern: string, version: number): AsyncIterable<string> {
    const { keyPrefix, reverseKey } = this.settings;
    for await (const batch of this.scan(this.settings.reader(), this.patternFor(pattern, version))) {
      for (const redisKey of batch) {
        const key = reverseKey(redisKey, keyPrefix, version);
        if (key !== undefined) yield key;
      }
    }
  }

  /** Deletes the keys matching the glob `pattern` at `version`, in SCAN batches; returns how many. */
  deletePattern(pattern: string, version: number): Promise<number> {
    return this.unlinkScanned(this.patternFor(pattern, version), () => true);
  }

  /**
   * Deletes every version of the cache's keys and nothing else: prefix `dj` leaves `dj:bi:1:x` and
   * keys of other applications alone. With a custom key function, what
   * `keyFunction('*', prefix, version)` matches at `version`.
   */
  async clear(version: number): Promise<void> {
    const { customKeyFunction, keyPrefix } = this.settings;
    if (customKeyFunction) {
      await this.unlinkScanned(this.patternFor('*', version), () => true);
      return;
    }
    await this.unlinkScanned(`${escapeGlob(keyPrefix)}:*`, (redisKey) => isOwnKey(redisKey, keyPrefix));
  }

  private patternFor(pattern: string, version: number): string {
    return this.settings.keyFunction(pattern, escapeGlob(this.settings.keyPrefix), version);
  }

  /** Every key matching `match`, in SCAN batches: of the one server, or of each master of a cluster. */
  private async *scan(client: CacheClient, match: string): AsyncIterable<string[]> {
    // Through the runner only when it talks to a cluster: a call that sent nothing must not count as
    // a success, which would end a burst of ignored failures and log the next one again.
    const targets = isCluster(client)
      ? await this.settings.runner.run('SCAN', [], () => scanTargets(client))
      : [client];
    for (const target of targets) yield* this.scanOne(target, match);
  }

  private async *scanOne(client: CacheClient, match: string): AsyncIterable<string[]> {
    const none: [string, string[]] = ['0', []];
    let cursor = '0';
    do {
      const [next, batch] = await this.settings.runner.run('SCAN', none, () =>
        client.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT),
      );
      cursor = next;
      if (batch.length > 0) yield batch;
    } while (cursor !== '0');
  }

  private async unlinkScanned(match: string, keep: (redisKey: string) => boolean): Promise<number> {
    const master = this.settings.master();
    let deleted = 0;
    for await (const batch of this.scan(master, match)) {
      const own = batch.filter(keep);
      for (let i = 0; i < own.length; i += DELETE_BATCH) {
        const slice = own.slice(i, i + DELETE_BATCH);
        deleted += await this.settings.runner.run('UNLINK', 0, () => deleteAcross(master, slice, 'unlink'));
      }
    }
    return deleted;
  }
}
