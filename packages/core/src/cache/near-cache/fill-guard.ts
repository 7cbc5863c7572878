/**
 * Decides whether a reply may be kept: a read's reply left Redis before any invalidation sent after
 * it, but the invalidation comes on another connection and may be read first. So every read takes
 * a ticket when it is sent, and its reply is kept only if no invalidation of its key, and no flush,
 * came in between. Only keys with a read in flight are remembered, so memory stays bounded.
 */
export class FillGuard {
  private clock = 0;
  private flushedAt = 0;
  private readonly pending = new Map<string, { reads: number; invalidatedAt: number }>();

  /** A ticket for a read of `key` about to be sent; hand it back to `settle`. */
  begin(key: string): number {
    const pending = this.pending.get(key);
    if (pending === undefined) this.pending.set(key, { reads: 1, invalidatedAt: 0 });
    else pending.reads += 1;
    return this.clock;
  }

  /** The read of `key` that took `ticket` is answered: true when its reply may be kept. */
  settle(key: string, ticket: number): boolean {
    const pending = this.pending.get(key);
    if (pending === undefined) return false;
    const keep = pending.invalidatedAt <= ticket && this.flushedAt <= ticket;
    pending.reads -= 1;
    if (pending.reads === 0) this.pending.delete(key);
    return keep;
  }

  /** `key` changed: a reply to a read of it now in flight must not be kept. */
  invalidate(key: string): void {
    const pending = this.pending.get(key);
    if (pending !== undefined) pending.invalidatedAt = ++this.clock;
  }

  /** Everything may have changed: no reply now in flight may be kept. */
  flush(): void {
    this.flushedAt = ++this.clock;
  }
}
