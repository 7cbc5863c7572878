import { parseLocation } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';
import { clusterStatus } from './cluster-status.js';
import { openClusterTarget } from './cluster-target.js';
import { address, bytes, duration } from './format.js';
import type { CliIO } from './io.js';
import { collectReport, type TopologyReport } from './report.js';
import { colorEnabled, createStyle, type Style } from './style.js';
import { renderTable } from './table.js';
import { openTarget } from './target.js';

/** `sentinel-kit status <location>`: the deployment at a glance, or its report as JSON. */
export async function status(args: CliArgs, io: CliIO): Promise<number> {
  const location = parseLocation(args.location);
  if (location.kind === 'cluster') return clusterStatus(args, io, openClusterTarget(args, location));
  const target = openTarget(args, location);
  try {
    const report = await collectReport(target);
    if (args.json) {
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      io.stdout.write(renderStatus(report, createStyle(colorEnabled(io.stdout, args.color, io.env))));
    }
    return 0;
  } finally {
    await target.admin.close();
  }
}

const flagText = (flags: string[], style: Style, normal: string): string => {
  const text = flags.join(',');
  if (flags.some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected')) return style.bad(text);
  return flags.length === 1 && flags[0] === normal ? text : style.warn(text);
};

export function renderStatus(report: TopologyReport, style: Style): string {
  const { master } = report;
  const role = master.verified
    ? style.ok('role verified: master')
    : style.bad(
        master.roleError === undefined ? `role: ${master.role}` : `role unknown: ${master.roleError}`,
      );
  const quorum = report.ckquorum.ok ? style.ok(report.ckquorum.message) : style.bad(report.ckquorum.message);
  const lines = [
    `${style.bold(report.masterName)}  master ${style.bold(address(master))}  ${flagText(master.flags, style, 'master')}  ${role}`,
    `  quorum ${report.quorum}  ckquorum: ${quorum}`,
    `  down-after ${duration(report.downAfterMs)}  failover-timeout ${duration(report.failoverTimeoutMs)}  ` +
      `parallel-syncs ${report.parallelSyncs}  config-epoch ${report.configEpoch}`,
    '',
    style.bold(
      `Replicas (${report.replicas.filter((r) => r.online).length}/${report.replicas.length} online)`,
    ),
    report.replicas.length === 0
      ? `  ${style.bad('none')}`
      : renderTable(
          ['ADDRESS', 'LINK', 'OFFSET', 'LAG', 'FLAGS'],
          report.replicas.map((r) => [
            address(r),
            r.linkStatus === 'ok' ? style.ok('ok') : style.bad(r.linkStatus || '?'),
            String(r.offset),
            r.lagBytes === null ? '?' : bytes(r.lagBytes),
            flagText(r.flags, style, 'slave'),
          ]),
        ),
    '',
    style.bold(`Sentinels (${report.sentinels.length})`),
    renderTable(
      ['ADDRESS', 'FLAGS', ''],
      report.sentinels.map((s) => [
        address(s),
        flagText(s.flags, style, 'sentinel'),
        s.answered ? style.dim('answered') : '',
      ]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
