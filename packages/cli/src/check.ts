import { parseLocation, SentinelKitError } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';
import { collectClusterReport, findClusterProblems } from './cluster-report.js';
import { openClusterTarget } from './cluster-target.js';
import type { CliIO } from './io.js';
import { collectReport, findProblems } from './report.js';
import { openTarget } from './target.js';

/**
 * `sentinel-kit check <location>`: exit 0 when healthy, else exit 1 with one line per problem on
 * stdout. Sentinels: the quorum is reachable, the master's role is verified and a replica is
 * online. Cluster: every slot is served, no node is flagged failing, and every master with slots
 * has a replica online. A deployment that cannot be asked at all is a problem too, not a crash:
 * readiness probes need a verdict.
 */
export async function check(args: CliArgs, io: CliIO): Promise<number> {
  const location = parseLocation(args.location);
  if (location.kind === 'cluster') {
    const target = openClusterTarget(args, location);
    try {
      return await verdict(args, io, async () => findClusterProblems(await collectClusterReport(target)));
    } finally {
      await target.admin.close();
    }
  }
  const target = openTarget(args, location);
  try {
    return await verdict(args, io, async () => findProblems(await collectReport(target)));
  } finally {
    await target.admin.close();
  }
}

async function verdict(args: CliArgs, io: CliIO, find: () => Promise<string[]>): Promise<number> {
  let problems: string[];
  try {
    problems = await find();
  } catch (err) {
    if (!(err instanceof SentinelKitError)) throw err;
    problems = [err.message];
  }
  if (args.json) {
    io.stdout.write(`${JSON.stringify({ healthy: problems.length === 0, problems })}\n`);
  } else {
    io.stdout.write(problems.length === 0 ? 'healthy\n' : problems.map((p) => `${p}\n`).join(''));
  }
  return problems.length === 0 ? 0 : 1;
}
