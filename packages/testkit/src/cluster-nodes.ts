/** One line of `CLUSTER NODES`: how one node sees one node of the cluster. */
export interface ClusterNodeEntry {
  id: string;
  host: string;
  port: number;
  /** `myself`, `master`, `slave`, `fail?`, `fail`, `handshake`, `noaddr`, … */
  flags: string[];
  /** The id of the master of a replica; `undefined` for a master. */
  masterId: string | undefined;
  linkState: 'connected' | 'disconnected';
  /** The slot ranges it serves, `[first, last]` (importing/migrating markers left out). */
  slots: [number, number][];
}

/** Parses `CLUSTER NODES` text: `<id> <ip:port@bus[,host]> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`. */
export function parseClusterNodes(text: string): ClusterNodeEntry[] {
  const entries: ClusterNodeEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    if (fields.length < 8) continue;
    const [id, address, flags, master, , , , link, ...slotFields] = fields as [string, ...string[]];
    const hostPort = (address ?? '').split('@')[0] ?? '';
    const colon = hostPort.lastIndexOf(':');
    entries.push({
      id,
      host: hostPort.slice(0, colon),
      port: Number(hostPort.slice(colon + 1)),
      flags: (flags ?? '').split(','),
      masterId: master === '-' ? undefined : master,
      linkState: link === 'connected' ? 'connected' : 'disconnected',
      slots: slotFields
        .filter((s) => !s.startsWith('['))
        .map((s) => {
          const [first, last = first] = s.split('-');
          return [Number(first), Number(last)] as [number, number];
        }),
    });
  }
  return entries;
}

/** True when `entry` is a master in good standing (not flagged failing) that serves `slot`. */
export const servesSlot = (entry: ClusterNodeEntry, slot: number): boolean =>
  entry.flags.includes('master') &&
  !entry.flags.some((f) => f === 'fail' || f === 'fail?') &&
  entry.slots.some(([first, last]) => slot >= first && slot <= last);
