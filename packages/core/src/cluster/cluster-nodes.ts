import { parseNodeKey } from '../shared/node-key.js';

/** A run of slots, `[first, last]` inclusive; a single slot is `[n, n]`. */
export type SlotRange = [first: number, last: number];

/** One line of `CLUSTER NODES`: how the node asked sees one node of the cluster. */
export interface ClusterNode {
  /** The node's 40-character id, stable across restarts. */
  id: string;
  /** The announced IP (`cluster-announce-ip`), empty for a node flagged `noaddr`. */
  host: string;
  port: number;
  /** The cluster bus port the nodes gossip on. */
  busPort: number;
  /** `cluster-announce-hostname`, when the node announces one (Redis 7). */
  hostname: string | undefined;
  /** `myself`, `master`, `slave`, `fail?`, `fail`, `handshake`, `noaddr`, `nofailover`, … */
  flags: string[];
  /** The id of the master a replica follows; undefined for a master. */
  masterId: string | undefined;
  /** The cluster-bus link from the node asked to this one (not the replication link). */
  linkState: 'connected' | 'disconnected';
  configEpoch: number;
  /** The slots it serves, in the order it lists them. */
  slots: SlotRange[];
  /** Slots this master is handing to another (`[slot->-id]`). */
  migrating: { slot: number; to: string }[];
  /** Slots this master is taking from another (`[slot-<-id]`). */
  importing: { slot: number; from: string }[];
}

const MIGRATING = /^\[(\d+)->-([0-9a-f]+)\]$/;
const IMPORTING = /^\[(\d+)-<-([0-9a-f]+)\]$/;

/** `ip:port@bus[,hostname]`; IPv6 addresses are not bracketed, so the last colon splits. */
function parseAddress(field: string): Pick<ClusterNode, 'host' | 'port' | 'busPort' | 'hostname'> {
  const [address = '', hostname] = field.split(',');
  const [hostPort = '', bus = '0'] = address.split('@');
  return {
    ...parseNodeKey(hostPort),
    busPort: Number(bus),
    hostname: hostname === undefined || hostname === '' ? undefined : hostname,
  };
}

/**
 * Parses the text of `CLUSTER NODES`, one node a line:
 * `<id> <ip:port@bus[,hostname]> <flags> <master|-> <ping-sent> <pong-recv> <epoch> <link> <slot>…`,
 * where a slot field is a range (`0-5460`), a single slot (`42`), or a migration in progress
 * (`[42->-<id>]` migrating, `[42-<-<id>]` importing). Lines too short to be a node are skipped.
 */
export function parseClusterNodes(text: string): ClusterNode[] {
  const nodes: ClusterNode[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 8) continue;
    const [id = '', address = '', flags = '', master = '-', , , epoch = '0', link, ...slotFields] = fields;
    const node: ClusterNode = {
      id,
      ...parseAddress(address),
      flags: flags.split(',').filter((f) => f !== ''),
      masterId: master === '-' ? undefined : master,
      linkState: link === 'connected' ? 'connected' : 'disconnected',
      configEpoch: Number(epoch),
      slots: [],
      migrating: [],
      importing: [],
    };
    for (const field of slotFields) {
      const out = MIGRATING.exec(field);
      const into = IMPORTING.exec(field);
      if (out !== null) node.migrating.push({ slot: Number(out[1]), to: out[2] as string });
      else if (into !== null) node.importing.push({ slot: Number(into[1]), from: into[2] as string });
      else {
        const [first = '', last = first] = field.split('-');
        node.slots.push([Number(first), Number(last)]);
      }
    }
    nodes.push(node);
  }
  return nodes;
}

/** True when the node asked suspects (`fail?`) or the cluster agreed (`fail`) that this node is down. */
export const isFailing = (node: ClusterNode): boolean =>
  node.flags.includes('fail') || node.flags.includes('fail?');

/** True for a master (Redis's flag `master`), failing or not. */
export const isMaster = (node: ClusterNode): boolean => node.flags.includes('master');

/** How many slots `ranges` cover. */
export const slotCount = (ranges: readonly SlotRange[]): number =>
  ranges.reduce((sum, [first, last]) => sum + last - first + 1, 0);

/** `0-5460,5462` — ranges as Redis writes them, single slots alone. */
export const formatSlots = (ranges: readonly SlotRange[]): string =>
  ranges.map(([first, last]) => (first === last ? String(first) : `${first}-${last}`)).join(',');
