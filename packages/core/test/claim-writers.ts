import { setImmediate as turn } from 'node:timers/promises';
import { type Cache, LockNotOwnedError, OutcomeUnknownError } from '@sentinel-kit/core';

/** What one `add` call was told. */
type Outcome = 'added' | 'taken' | 'unknown';

/** What the writers' replies say about the claims and locks, checked against what Redis holds. */
export interface ClaimTally {
  /** Keys some writer tried to claim, and of those, the ones two or more writers tried. */
  keys: number;
  contested: number;
  /** `add` calls answered true, false, or failed with `OutcomeUnknownError`. */
  added: number;
  taken: number;
  unknown: number;
  /** Calls that failed otherwise (adds and lock calls). */
  failed: Error[];
  /** Keys more than one writer was told it added. */
  doubleClaimed: string[];
  /** Keys whose `add` answered true but that hold another value, or none. */
  notOwned: string[];
  /**
   * Keys no writer was told it added although one was told "taken", that hold no value of a writer
   * whose outcome is unknown: the value of a writer told "taken", or none.
   */
  orphaned: string[];
  /** Locks taken, then released or extended without error. */
  locksTaken: number;
  /** Locks taken while this process already held them. */
  doubleHeld: number;
  /** Releases or extensions of a held lock that said it was not held. */
  notHeld: number;
}

/** Lock calls that may answer with `OutcomeUnknownError`; a lock whose outcome is unknown lapses. */
const LOCK_TIMEOUT_S = 20;

/**
 * Writers that claim fresh keys with `add`, one `add` awaited before the next, all walking the same
 * sequence of keys so that most keys are contested, each with a value naming the writer — and,
 * every fourth key, take one of a few shared locks with `acquire`, `extend` it, and `release` it.
 * A resend that `add`'s script did not recognise shows as a key held by a writer told "taken" (or
 * two writers told "added"); a release or extension resent blindly as one that says "not held".
 */
export class ClaimWriters {
  private readonly claims = new Map<string, { value: string; outcome: Outcome }[]>();
  private readonly holders = new Map<string, number>();
  private readonly failures: Error[] = [];
  private answeredCalls = 0;
  private readonly lockCounts = { taken: 0, doubleHeld: 0, notHeld: 0 };
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly cache: Cache,
    private readonly writers: number,
    private readonly locks: number,
  ) {}

  /** Every call answered so far, with a result or `OutcomeUnknownError`. */
  get answered(): number {
    return this.answeredCalls;
  }

  start(): void {
    this.running = true;
    this.loops = Array.from({ length: this.writers }, (_, writer) => this.loop(writer));
  }

  /** Stops the loops; each ends once its call in flight is answered (or fails, as on a closed cache). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** The tally, with every claimed key read from the master. */
  async tally(): Promise<ClaimTally> {
    const keys = [...this.claims.keys()];
    const stored: Record<string, unknown> = {};
    for (let at = 0; at < keys.length; at += 1000) {
      Object.assign(stored, await this.cache.getMany(keys.slice(at, at + 1000)));
    }
    const tally: ClaimTally = {
      keys: keys.length,
      contested: 0,
      added: 0,
      taken: 0,
      unknown: 0,
      failed: this.failures,
      doubleClaimed: [],
      notOwned: [],
      orphaned: [],
      locksTaken: this.lockCounts.taken,
      doubleHeld: this.lockCounts.doubleHeld,
      notHeld: this.lockCounts.notHeld,
    };
    for (const [key, calls] of this.claims) {
      if (calls.length > 1) tally.contested += 1;
      const winners = calls.filter((call) => call.outcome === 'added');
      tally.added += winners.length;
      tally.taken += calls.filter((call) => call.outcome === 'taken').length;
      tally.unknown += calls.filter((call) => call.outcome === 'unknown').length;
      const value = stored[key];
      if (winners.length > 1) tally.doubleClaimed.push(key);
      else if (winners.length === 1 && value !== winners[0]?.value) tally.notOwned.push(key);
      else if (
        winners.length === 0 &&
        calls.some((call) => call.outcome === 'taken') &&
        !calls.some((call) => call.outcome === 'unknown' && call.value === value)
      ) {
        tally.orphaned.push(key);
      }
    }
    return tally;
  }

  private async loop(writer: number): Promise<void> {
    for (let round = 0; this.running; round += 1) {
      await this.claim(writer, `claim-${round}`, `writer-${writer}:${round}`);
      if (round % 4 === 0 && this.running) await this.holdLock(writer, `lock-${(round / 4) % this.locks}`);
    }
  }

  private async claim(writer: number, key: string, value: string): Promise<void> {
    let outcome: Outcome;
    try {
      outcome = (await this.cache.add(key, value, 600)) ? 'added' : 'taken';
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError)) {
        this.failures.push(new Error(`writer ${writer} add ${key}`, { cause: error }));
        return;
      }
      outcome = 'unknown';
    }
    this.answeredCalls += 1;
    const calls = this.claims.get(key);
    if (calls === undefined) this.claims.set(key, [{ value, outcome }]);
    else calls.push({ value, outcome });
  }

  private async holdLock(writer: number, name: string): Promise<void> {
    const lock = this.cache.lock(name, { timeout: LOCK_TIMEOUT_S, blocking: false });
    if (!(await this.lockCall(writer, name, 'acquire', () => lock.acquire()))) return;
    if (this.holders.has(name)) this.lockCounts.doubleHeld += 1;
    this.holders.set(name, writer);
    await turn();
    const extended = await this.lockCall(writer, name, 'extend', () =>
      lock.extend(LOCK_TIMEOUT_S).then(() => true),
    );
    // Cleared before the release is sent: from then on another writer may take it legitimately.
    this.holders.delete(name);
    const released = await this.lockCall(writer, name, 'release', () => lock.release().then(() => true));
    if (extended && released) this.lockCounts.taken += 1;
  }

  /** One lock call; false when it failed, counted by how. */
  private async lockCall(
    writer: number,
    name: string,
    action: string,
    call: () => Promise<boolean>,
  ): Promise<boolean> {
    try {
      const result = await call();
      this.answeredCalls += 1;
      return result;
    } catch (error) {
      if (error instanceof OutcomeUnknownError) this.answeredCalls += 1;
      else if (error instanceof LockNotOwnedError) this.lockCounts.notHeld += 1;
      else this.failures.push(new Error(`writer ${writer} ${action} ${name}`, { cause: error }));
      return false;
    }
  }
}
