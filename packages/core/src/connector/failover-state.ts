import type { NodeAddress } from '../errors.js';
import type { SentinelEvent } from '../sentinel/sentinel-events.js';

/**
 * Where a connector stands with its master; drawn, with the signals that move it, in
 * docs/architecture.md.
 * - `steady`: writes go to the master the client is connected to.
 * - `held`: a sentinel opened a failover; new writes wait (the old master would acknowledge writes
 *   that are thrown away once it is demoted) until the switch, an abort or `failoverHoldTimeout`.
 * - `switching`: the master moved; the write client is reconnecting to the new one, held writes
 *   wait in its offline queue.
 * - `redirected`: on the new master; for a while, sentinels that still name the old one are
 *   overruled, so a lagging sentinel cannot send the client back.
 * - `wrong-role`: the node the sentinels name answers as a replica and no failover explains it.
 */
export type FailoverPhase = 'steady' | 'held' | 'switching' | 'redirected' | 'wrong-role';

/** What the state machine makes happen; the connector carries it out on its clients. */
export interface FailoverActions {
  /** Hold new writes in front of the write client. */
  holdWrites(): void;
  /** Send held writes on, in order, to wherever the write client is connected by then. */
  releaseWrites(): void;
  /** Make the write client resolve and dial its master again now. */
  reconnectMaster(): void;
  /** Make the read client pick another replica. */
  moveReplica(): void;
  /** The named master stayed a replica for `waitedMs`: fail the queued writes rather than wait on. */
  masterDemoted(node: NodeAddress | undefined, waitedMs: number): void;
  /** Tell the connector's listeners that the master moved. */
  failover(from: NodeAddress, to: NodeAddress): void;
  /** A debug line: each transition, with the signal that caused it. */
  log(message: string): void;
}

/** Where the connector's clients are, as the state machine needs to know it. */
export interface ClientPositions {
  /** The node the write client is connected and ready on, if it is. */
  master(): NodeAddress | undefined;
  /** The node the read client is on (or still handshaking with), if there is a read client. */
  replica(): NodeAddress | undefined;
}

export interface FailoverStateOptions {
  masterName: string;
  /** Milliseconds a hold lasts at most, and how long a wrong role is tolerated. */
  failoverHoldTimeoutMs: number;
  actions: FailoverActions;
  positions: ClientPositions;
  /** An address the sentinels announce → the address to dial (the user's `natMap`). */
  translate(address: NodeAddress): NodeAddress;
  /** Milliseconds since the epoch; replaceable in unit tests. Default `Date.now`. */
  now?: () => number;
}

/** Events that open a failover: from here until the switch, the old master's acks may be thrown away. */
const FAILOVER_OPENING = new Set(['+try-failover', '+selected-slave', '+promoted-slave']);
/** How long a `+switch-master` outranks sentinels that still name the old master, in milliseconds. */
export const STALE_SENTINEL_WINDOW_MS = 30_000;

const same = (a: NodeAddress | undefined, b: NodeAddress | undefined): boolean =>
  a !== undefined && b !== undefined && a.host === b.host && a.port === b.port;
const keyOf = (a: NodeAddress): string => `${a.host}:${a.port}`;

/**
 * The one place that decides where a connector's writes go during a failover. Four signals feed it:
 * 1. the sentinels' events (`sentinelEvent`): a failover opens, aborts, or the master switches;
 * 2. the periodic master check (`masterNamed`): catches a missed event or a hung master;
 * 3. ioredis resolving the master on every (re)connect, READONLY included (`resolve`), which this
 *    answers with the new master while lagging sentinels still name the old one;
 * 4. the write client's ready check (`masterReady`, `wrongRole`).
 * It holds no client: it tells `FailoverActions` what to do, so it is tested as a pure unit.
 */
export class FailoverState {
  private current: FailoverPhase = 'steady';
  /** After a switch: until `until`, a resolution to `from` dials `to` instead. */
  private redirect: { from: NodeAddress; to: NodeAddress; until: number } | undefined;
  private wrongRoleSince: number | undefined;
  private readonly now: () => number;

  constructor(private readonly options: FailoverStateOptions) {
    this.now = options.now ?? Date.now;
  }

  get phase(): FailoverPhase {
    if (this.current === 'redirected' && !this.redirecting()) this.current = 'steady';
    return this.current;
  }

  /** Signal 1: one sentinel event about any master (others' are ignored). */
  sentinelEvent(event: SentinelEvent): void {
    if (event.masterName !== this.options.masterName) return;
    const { actions } = this.options;
    if (FAILOVER_OPENING.has(event.type)) {
      if (this.phase !== 'held') this.enter('held', event.type);
      actions.holdWrites();
      if (event.type === '+promoted-slave' && event.instance !== undefined) {
        // The read client must not stay on the replica that is becoming the master.
        if (same(this.options.positions.replica(), this.options.translate(event.instance)))
          actions.moveReplica();
      }
    } else if (event.type.startsWith('-failover-abort')) {
      if (this.phase === 'held') this.enter(this.redirecting() ? 'redirected' : 'steady', event.type);
      actions.releaseWrites();
    } else if (event.type === '+switch-master' && event.switch !== undefined) {
      const { translate } = this.options;
      this.switchMaster(translate(event.switch.from), translate(event.switch.to), event.type);
    }
  }

  /** Signal 2: the master a sentinel names now, from the periodic check (already translated). */
  masterNamed(address: NodeAddress): void {
    if (this.redirecting() && same(address, this.redirect?.from)) return;
    const current = this.options.positions.master();
    if (current !== undefined && !same(current, address)) this.switchMaster(current, address, 'master check');
  }

  /** Signal 3: ioredis resolved the master to `address` (translated); returns the node to dial. */
  resolve(address: NodeAddress): NodeAddress {
    const redirect = this.redirect;
    if (redirect !== undefined && this.redirecting() && same(address, redirect.from)) return redirect.to;
    return address;
  }

  /** Signal 4a: the write client is ready on `node`, which answered as a master. */
  masterReady(node: NodeAddress | undefined): void {
    this.wrongRoleSince = undefined;
    const phase = this.phase;
    if (phase === 'switching' || phase === 'wrong-role') {
      this.enter(this.redirecting() && same(node, this.redirect?.to) ? 'redirected' : 'steady', 'ready');
    }
  }

  /**
   * Signal 4b: the node the sentinels named answered as a replica. Expected during a failover (the
   * old master is demoted before the sentinels name the new one); past `failoverHoldTimeout` with
   * no other master named, queued writes fail instead of waiting for one that may never come.
   */
  wrongRole(node: NodeAddress | undefined): void {
    const now = this.now();
    this.wrongRoleSince ??= now;
    const phase = this.phase;
    if (phase === 'steady' || phase === 'redirected') this.enter('wrong-role', 'role check');
    const waited = now - this.wrongRoleSince;
    if (waited < this.options.failoverHoldTimeoutMs) return;
    this.wrongRoleSince = now;
    this.options.actions.masterDemoted(node, waited);
  }

  /** The hold ran for `failoverHoldTimeout` without a switch or an abort: writes go out. */
  holdTimedOut(): void {
    if (this.phase === 'held') this.enter('steady', 'hold timeout');
  }

  private switchMaster(from: NodeAddress, to: NodeAddress, cause: string): void {
    const { actions, positions } = this.options;
    const known = this.redirecting() && same(this.redirect?.to, to);
    if (!known) {
      // Several sentinels publish the same switch; only the first moves the clients.
      this.redirect = { from, to, until: this.now() + STALE_SENTINEL_WINDOW_MS };
      const onTarget = same(positions.master(), to);
      this.enter(onTarget ? 'redirected' : 'switching', `${cause} ${keyOf(from)} -> ${keyOf(to)}`);
      if (!onTarget) actions.reconnectMaster();
      const replica = positions.replica();
      if (same(replica, to) || same(replica, from)) actions.moveReplica();
      actions.failover(from, to);
    }
    actions.releaseWrites();
  }

  private redirecting(): boolean {
    return this.redirect !== undefined && this.now() < this.redirect.until;
  }

  private enter(phase: FailoverPhase, cause: string): void {
    if (phase === this.current) return;
    this.options.actions.log(`failover state ${this.current} -> ${phase} (${cause})`);
    this.current = phase;
  }
}
