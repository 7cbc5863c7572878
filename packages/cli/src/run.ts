import { InvalidLocationError } from '@sentinel-kit/core';
import { type CliArgs, type CommandName, parseCliArgs, USAGE } from './args.js';
import { check } from './check.js';
import { failover } from './failover.js';
import type { CliIO } from './io.js';
import { status } from './status.js';
import { UsageError } from './usage-error.js';
import { watch } from './watch.js';

const COMMANDS: Record<CommandName, (args: CliArgs, io: CliIO) => Promise<number>> = {
  status,
  watch,
  check,
  failover,
};

/** Exit code for a command line the CLI could not run (bad flag, bad location). */
export const EXIT_USAGE = 2;

/**
 * Runs one command line and returns its exit code. Any failure becomes one line on stderr
 * (`sentinel-kit: <message>`); the stack only with `--debug`. Messages come from typed errors that
 * never quote a password, and the CLI never prints the location it was given.
 */
export async function run(argv: string[], io: CliIO): Promise<number> {
  try {
    const args = parseCliArgs(argv, io.env);
    if (args.command === 'help') {
      io.stdout.write(USAGE);
      return 0;
    }
    return await COMMANDS[args.command](args, io);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    io.stderr.write(`sentinel-kit: ${error.message}\n`);
    if (argv.includes('--debug') && error.stack !== undefined) io.stderr.write(`${error.stack}\n`);
    return error instanceof UsageError || error instanceof InvalidLocationError ? EXIT_USAGE : 1;
  }
}
