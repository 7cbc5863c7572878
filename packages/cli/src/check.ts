import { SentinelKitError } from '@sentinel-kit/core';
import type { CliArgs } from './args.js';
import type { CliIO } from './io.js';
import { collectReport, findProblems } from './report.js';
import { openTarget } from './target.js';

/**
 * `sentinel-kit check <location>`: exit 0 when the quorum is reachable, the master's role is
 * verified and at least one replica is online; else exit 1 with one line per problem on stdout.
 * Sentinels that cannot be asked at all are a problem too, not a crash: readiness probes need a verdict.
 */
export async function check(args: CliArgs, io: CliIO): Promise<number> {
  const target = openTarget(args);
  try {
    let problems: string[];
    try {
      problems = findProblems(await collectReport(target));
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
  } finally {
    await target.admin.close();
  }
}
