import { Redis } from 'ioredis';
import type { NodeAddress } from '../errors.js';
import { type OneShotTarget, oneShotClientOptions } from '../shared/one-shot-client.js';

/** Milliseconds between two looks at a rejoining node's replication link. */
const CHECK_EVERY_MS = 250;
/** Milliseconds one look may take (connect and answer, each). */
const CHECK_TIMEOUT_MS = 1000;

const keyOf = (host: string, port: number): string => `${host}:${port}`;

/**
 * Old masters of a cluster's slot ranges, kept out of replica reads until they have caught up.
 * A master that lost its slots (killed and restarted, or frozen and woken) comes back as a replica
 * of the node that took over, and the cluster lists it as one at once — while it still holds its
 * own stale data set, which it serves during the sync (`replica-serve-stale-data`). A read sent
 * there misses writes the new master acknowledged. Each node is looked at every 250 ms on a
 * one-shot connection until it says `role:slave`, its link is up and no sync is in progress.
 */
export class RejoiningNodes {
  private readonly nodes = new Map<string, NodeJS.Timeout | undefined>();
  private closed = false;

  constructor(private readonly credentials: Omit<OneShotTarget, 'host' | 'port'>) {}

  /** Whether a replica read must skip the node at `host:port`. */
  has(host: string | undefined, port: number | undefined): boolean {
    return host !== undefined && port !== undefined && this.nodes.has(keyOf(host, port));
  }

  /** Keeps `address` out of replica reads until its replication has caught up. */
  add(address: NodeAddress): void {
    const key = keyOf(address.host, address.port);
    if (this.closed || this.nodes.has(key)) return;
    this.nodes.set(key, undefined);
    void this.check(address, key);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.nodes.values()) clearTimeout(timer);
    this.nodes.clear();
  }

  private async check(address: NodeAddress, key: string): Promise<void> {
    if (this.closed || !this.nodes.has(key)) return;
    if (await this.caughtUp(address)) {
      this.nodes.delete(key);
      return;
    }
    if (this.closed || !this.nodes.has(key)) return;
    const timer = setTimeout(() => void this.check(address, key), CHECK_EVERY_MS);
    timer.unref();
    this.nodes.set(key, timer);
  }

  private async caughtUp(address: NodeAddress): Promise<boolean> {
    const client = new Redis(oneShotClientOptions({ ...this.credentials, ...address }, CHECK_TIMEOUT_MS));
    client.on('error', () => {});
    try {
      await client.connect();
      const info = await client.info('replication');
      return (
        /^role:slave\r?$/m.test(info) &&
        /^master_link_status:up\r?$/m.test(info) &&
        /^master_sync_in_progress:0\r?$/m.test(info)
      );
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
