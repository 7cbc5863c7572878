import { describe, expect, it } from 'vitest';
import { FailoverState, STALE_SENTINEL_WINDOW_MS } from '../src/connector/failover-state.js';
import type { NodeAddress } from '../src/errors.js';
import { parseSentinelEvent } from '../src/sentinel/sentinel-events.js';

// A pure unit: the state machine decides, the fake positions and the action log stand in for clients.
const OLD: NodeAddress = { host: '10.0.0.1', port: 6379 };
const NEW: NodeAddress = { host: '10.0.0.2', port: 6379 };
const SENTINEL: NodeAddress = { host: '10.0.0.9', port: 26379 };

function machine(options: { replicaAt?: NodeAddress; holdMs?: number } = {}) {
  const actions: string[] = [];
  const clock = { now: 1_000 };
  const where: { master: NodeAddress | undefined; replica: NodeAddress | undefined } = {
    master: OLD,
    replica: options.replicaAt,
  };
  const state = new FailoverState({
    masterName: 'mymaster',
    failoverHoldTimeoutMs: options.holdMs ?? 5000,
    now: () => clock.now,
    translate: (a) => a,
    positions: { master: () => where.master, replica: () => where.replica },
    actions: {
      holdWrites: () => actions.push('hold'),
      releaseWrites: () => actions.push('release'),
      reconnectMaster: () => actions.push('reconnect master'),
      moveReplica: () => actions.push('move replica'),
      masterDemoted: (node, waited) => actions.push(`demoted ${node?.host} after ${waited}`),
      failover: (from, to) => actions.push(`failover ${from.host} -> ${to.host}`),
      log: () => {},
    },
  });
  const event = (type: string, message: string) =>
    state.sentinelEvent(parseSentinelEvent(type, message, SENTINEL));
  const switchMaster = () => event('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6379');
  return { state, actions, clock, where, event, switchMaster };
}

describe('FailoverState', () => {
  it('holds writes from +try-failover and moves the write client at +switch-master, then releases', () => {
    const m = machine();
    m.event('+try-failover', 'master mymaster 10.0.0.1 6379 #epoch 2');
    expect(m.state.phase).toBe('held');
    m.switchMaster();
    expect(m.state.phase).toBe('switching');
    expect(m.actions).toEqual(['hold', 'reconnect master', 'failover 10.0.0.1 -> 10.0.0.2', 'release']);
    m.where.master = NEW;
    m.state.masterReady(NEW);
    expect(m.state.phase).toBe('redirected');
  });

  it('ignores events about other masters', () => {
    const m = machine();
    m.event('+try-failover', 'master othermaster 10.0.0.1 6379 #epoch 2');
    expect(m.state.phase).toBe('steady');
    expect(m.actions).toEqual([]);
  });

  it('releases held writes on an abort and goes back to steady', () => {
    const m = machine();
    m.event('+try-failover', 'master mymaster 10.0.0.1 6379 #epoch 2');
    m.event('-failover-abort-no-good-slave', 'master mymaster 10.0.0.1 6379');
    expect(m.state.phase).toBe('steady');
    expect(m.actions).toEqual(['hold', 'release']);
  });

  it('goes back to steady when the hold times out', () => {
    const m = machine();
    m.event('+selected-slave', 'slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379');
    m.state.holdTimedOut();
    expect(m.state.phase).toBe('steady');
  });

  it('moves the read client off the replica being promoted', () => {
    const m = machine({ replicaAt: NEW });
    m.event('+promoted-slave', 'slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379');
    expect(m.actions).toEqual(['hold', 'move replica']);
  });

  it('acts once on a switch that several sentinels publish', () => {
    const m = machine();
    m.switchMaster();
    m.switchMaster();
    m.switchMaster();
    expect(m.actions.filter((a) => a.startsWith('failover'))).toHaveLength(1);
    expect(m.actions.filter((a) => a === 'reconnect master')).toHaveLength(1);
  });

  it('overrules lagging sentinels that name the old master for the stale-sentinel window, then trusts them', () => {
    const m = machine();
    m.switchMaster();
    expect(m.state.resolve(OLD)).toEqual(NEW);
    m.where.master = NEW;
    m.state.masterReady(NEW);
    m.state.masterNamed(OLD);
    expect(m.actions.filter((a) => a.startsWith('failover'))).toHaveLength(1);
    m.clock.now += STALE_SENTINEL_WINDOW_MS;
    expect(m.state.resolve(OLD)).toEqual(OLD);
    expect(m.state.phase).toBe('steady');
  });

  it('switches when the periodic check names another master than the one the client is on', () => {
    const m = machine();
    m.state.masterNamed(NEW);
    expect(m.actions).toEqual(['reconnect master', 'failover 10.0.0.1 -> 10.0.0.2', 'release']);
    m.state.masterNamed(NEW);
    expect(m.actions.filter((a) => a === 'reconnect master')).toHaveLength(1);
  });

  it('does not reconnect a write client that already reached the new master on its own', () => {
    const m = machine();
    m.where.master = NEW;
    m.switchMaster();
    expect(m.state.phase).toBe('redirected');
    expect(m.actions).not.toContain('reconnect master');
  });

  it('tolerates a master in the wrong role for failoverHoldTimeout, then reports it demoted', () => {
    const m = machine({ holdMs: 5000 });
    m.state.wrongRole(OLD);
    expect(m.state.phase).toBe('wrong-role');
    m.clock.now += 4999;
    m.state.wrongRole(OLD);
    expect(m.actions).toEqual([]);
    m.clock.now += 1;
    m.state.wrongRole(OLD);
    expect(m.actions).toEqual(['demoted 10.0.0.1 after 5000']);
    m.state.masterReady(OLD);
    expect(m.state.phase).toBe('steady');
  });

  it('keeps a hold while the demoted old master answers as a replica', () => {
    const m = machine();
    m.event('+try-failover', 'master mymaster 10.0.0.1 6379 #epoch 2');
    m.state.wrongRole(OLD);
    expect(m.state.phase).toBe('held');
  });
});
