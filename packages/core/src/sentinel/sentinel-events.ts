import type { NodeAddress } from '../errors.js';

/** The instance an event names: `<type> <name> <ip> <port>` in Sentinel's "instance details". */
export interface SentinelEventInstance {
  type: 'master' | 'slave' | 'sentinel';
  name: string;
  host: string;
  port: number;
}

/** One message a sentinel published on its event channels (`+sdown`, `+switch-master`, …). */
export interface SentinelEvent {
  /** The channel, which is the event name: `+switch-master`, `-failover-abort-no-good-slave`, … */
  type: string;
  /** The message as published. */
  message: string;
  /** The sentinel that published it. */
  sentinel: NodeAddress;
  /** When this process received it. */
  at: Date;
  /** The master the event concerns, when the message says. */
  masterName?: string;
  /** The instance the event is about, when the message carries instance details. */
  instance?: SentinelEventInstance;
  /** Text after the instance details, e.g. `#quorum 2/2` or `new reported role is master`. */
  detail?: string;
  /** For `+switch-master`: the old and new master addresses. */
  switch?: { from: NodeAddress; to: NodeAddress };
}

const INSTANCE_TYPES = new Set(['master', 'slave', 'sentinel']);

/**
 * Reads a published event. Formats are Sentinel's: instance details are
 * `<type> <name> <ip> <port> [@ <master-name> <master-ip> <master-port>] [detail]`, and
 * `+switch-master` is `<master-name> <old-ip> <old-port> <new-ip> <new-port>`.
 */
export function parseSentinelEvent(
  type: string,
  message: string,
  sentinel: NodeAddress,
  at = new Date(),
): SentinelEvent {
  const event: SentinelEvent = { type, message, sentinel, at };
  const words = message.split(' ');
  if (type === '+switch-master' && words.length >= 5) {
    const [name, fromHost, fromPort, toHost, toPort] = words as [string, string, string, string, string];
    event.masterName = name;
    event.switch = {
      from: { host: fromHost, port: Number(fromPort) },
      to: { host: toHost, port: Number(toPort) },
    };
    return event;
  }
  const [kind, name, host, port] = words;
  if (
    kind === undefined ||
    !INSTANCE_TYPES.has(kind) ||
    name === undefined ||
    host === undefined ||
    port === undefined
  ) {
    return event;
  }
  event.instance = { type: kind as SentinelEventInstance['type'], name, host, port: Number(port) };
  let rest = words.slice(4);
  if (rest[0] === '@') {
    event.masterName = rest[1];
    rest = rest.slice(4);
  } else if (kind === 'master') {
    event.masterName = name;
  }
  if (rest.length > 0) event.detail = rest.join(' ');
  return event;
}
