import { CLUSTER_SLOTS, formatSlots } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';
import { type ClusterNodeReport, type ClusterReport, collectClusterReport } from './cluster-report.js';
import type { ClusterTarget } from './cluster-target.js';
import { address } from './format.js';
import type { CliIO } from './io.js';
import { colorEnabled, createStyle, type Style } from './style.js';
import { renderTable } from './table.js';

/** `sentinel-kit status <cluster location>`: masters with their slots and replicas, and the slots nobody serves. */
export async function clusterStatus(args: CliArgs, io: CliIO, target: ClusterTarget): Promise<number> {
  try {
    const report = await collectClusterReport(target);
    if (args.json) {
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout.write(renderClusterStatus(report, createStyle(colorEnabled(io.stdout, args.color, io.env))));
    }
    return 0;
  } finally {
    await target.admin.close();
  }
}

/** The first 8 characters of a node id: enough to tell the nodes of one cluster apart. */
const shortId = (id: string) => id.slice(0, 8);

const flagText = (node: ClusterNodeReport, style: Style, normal: string): string => {
  const text = node.flags.join(',');
  if (node.failing) return style.bad(text);
  return node.flags.length === 1 && node.flags[0] === normal ? text : style.warn(text);
};

export function renderClusterStatus(report: ClusterReport, style: Style): string {
  const replicas = report.masters.flatMap((m) => m.replicas.map((r) => ({ ...r, master: m })));
  const online = replicas.filter((r) => r.online).length;
  const covered = `${report.coveredSlots}/${CLUSTER_SLOTS} slots covered`;
  const lines = [
    `${style.bold('Redis Cluster')}  ${report.masters.length} masters  ${replicas.length} replicas  ` +
      `${report.uncovered.length === 0 ? style.ok(covered) : style.bad(covered)}  ` +
      style.dim(`(CLUSTER NODES of ${address(report.viewFrom)})`),
    '',
    style.bold(`Masters (${report.masters.length})`),
    renderTable(
      ['ADDRESS', 'SLOTS', 'COUNT', 'REPLICAS', 'BUS', 'FLAGS', 'ID'],
      report.masters.map((m) => {
        const up = m.replicas.filter((r) => r.online).length;
        const count = `${up}/${m.replicas.length} online`;
        return [
          address(m),
          m.slotCount === 0 ? style.dim('-') : formatSlots(m.slots),
          String(m.slotCount),
          up === 0 && m.slotCount > 0 ? style.bad(count) : count,
          m.busLink === 'connected' ? 'ok' : style.bad(m.busLink),
          flagText(m, style, 'master'),
          style.dim(shortId(m.id)),
        ];
      }),
    ),
    '',
    style.bold(`Replicas (${online}/${replicas.length} online)`),
    replicas.length === 0
      ? `  ${style.bad('none')}`
      : renderTable(
          ['ADDRESS', 'MASTER', 'LINK', 'BUS', 'FLAGS', 'ID'],
          replicas.map((r) => [
            address(r),
            address(r.master),
            r.replicationLink === 'connected'
              ? style.ok('ok')
              : style.bad(r.replicationLink ?? `? (${r.roleError ?? 'no ROLE'})`),
            r.busLink === 'connected' ? 'ok' : style.bad(r.busLink),
            flagText(r, style, 'slave'),
            style.dim(shortId(r.id)),
          ]),
        ),
    '',
    report.uncovered.length === 0
      ? `Slots not covered: ${style.ok('none')}`
      : `Slots not covered: ${style.bad(formatSlots(report.uncovered))} (${CLUSTER_SLOTS - report.coveredSlots} slots)`,
  ];
  return `${lines.join('\n')}\n`;
}
