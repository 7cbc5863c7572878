import type { VersionOpts } from './cache-config.js';

/** A value, or the function that produces it. */
export type Producer<T> = T | (() => T | Promise<T>);

/** What `getOrSet` needs of its cache. */
export interface GetOrSetSettings {
  get<T>(key: string, opts: VersionOpts): Promise<T | undefined>;
  add(key: string, value: unknown, timeout: number | null | undefined, opts: VersionOpts): Promise<boolean>;
  /**
   * Reads the key from the master, so replication lag cannot hide a value another caller stored:
   * `{ value }` when it exists (a stored `null` included), `undefined` when it does not.
   */
  getFromMaster<T>(key: string, opts: VersionOpts): Promise<{ value: T } | undefined>;
  makeKey(key: string, version?: number): string;
}

/**
 * django-redis's `get_or_set`: the value of the key; when there is none, what `value` produces,
 * stored with `add`. Concurrent calls for one key in this process share one flight, so the producer
 * runs once per process.
 */
export class GetOrSet {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(private readonly cache: GetOrSetSettings) {}

  run<T>(key: string, value: Producer<T>, timeout: number | null | undefined, opts: VersionOpts): Promise<T> {
    const flightKey = this.cache.makeKey(key, opts.version);
    const pending = this.inFlight.get(flightKey);
    if (pending !== undefined) return pending as Promise<T>;
    const flight = this.fill(key, value, timeout, opts).finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, flight);
    return flight;
  }

  private async fill<T>(
    key: string,
    value: Producer<T>,
    timeout: number | null | undefined,
    opts: VersionOpts,
  ): Promise<T> {
    const found = await this.cache.get<T>(key, opts);
    if (found !== undefined) return found;
    const fresh = typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
    if (await this.cache.add(key, fresh, timeout, opts)) return fresh;
    // Someone else stored first: theirs wins.
    const theirs = await this.cache.getFromMaster<T>(key, opts);
    return theirs === undefined ? fresh : theirs.value;
  }
}
