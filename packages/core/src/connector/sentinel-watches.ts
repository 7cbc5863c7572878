import { createHash } from 'node:crypto';
import { SentinelAdmin, type SentinelAdminOptions } from '../sentinel/sentinel-admin.js';
import { MasterWatch } from './master-watch.js';

/** One connector's use of a shared watch; `release()` closes the watch once its last user is gone. */
export interface WatchLease {
  /** The admin the watch asks, shared too: for re-asking the sentinels after a failed round. */
  readonly admin: SentinelAdmin;
  readonly watch: MasterWatch;
  release(): Promise<void>;
}

interface Entry {
  admin: SentinelAdmin;
  watch: MasterWatch;
  users: number;
}

const hash = (value: string | undefined): string | null =>
  value === undefined ? null : createHash('sha256').update(value).digest('hex').slice(0, 16);

/**
 * The watches of this process, one per topology as the sentinels see it (sentinels, master name,
 * sentinel credentials and TLS, and the timing options), whatever the db or alias of the connectors
 * that use it. Without it every connector held its own subscription and command connection on every
 * sentinel, and a fleet of processes with a few aliases each multiplied that on every sentinel.
 */
export class SentinelWatches {
  private readonly entries = new Map<string, Entry>();

  /** Takes the watch for these admin options (starting it if it is new), for `intervalMs` checks. */
  acquire(options: SentinelAdminOptions, intervalMs: number): WatchLease {
    const key = SentinelWatches.key(options, intervalMs);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      const admin = new SentinelAdmin({ ...options, alias: undefined });
      entry = { admin, watch: new MasterWatch(admin, intervalMs), users: 0 };
      this.entries.set(key, entry);
      entry.watch.start();
    }
    entry.users += 1;
    const held = entry;
    let released = false;
    return {
      admin: held.admin,
      watch: held.watch,
      release: async () => {
        if (released) return;
        released = true;
        held.users -= 1;
        if (held.users > 0) return;
        this.entries.delete(key);
        await held.watch.close();
      },
    };
  }

  /** How many watches are open: one per topology in use. */
  get size(): number {
    return this.entries.size;
  }

  private static key(options: SentinelAdminOptions, intervalMs: number): string {
    return JSON.stringify([
      options.sentinels.map((s) => `${s.host}:${s.port}`).sort(),
      options.masterName,
      options.sentinelUsername ?? null,
      hash(options.sentinelPassword),
      options.tls ?? null,
      options.sentinelTimeout ?? null,
      options.natMap ?? null,
      intervalMs,
    ]);
  }
}

/** The process's watches, shared by every connector. */
export const sentinelWatches = new SentinelWatches();
