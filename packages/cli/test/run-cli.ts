import { type CliIO, run } from '@sentinel-kit/cli';

/** The outcome of one in-process CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  tty?: boolean;
  signal?: AbortSignal;
}

/** A CLI run in progress: its output so far, and its result once it exits. */
export interface RunningCli {
  stdout(): string;
  stderr(): string;
  result: Promise<CliResult>;
}

/** Starts a command line in-process with captured output and only the given environment. */
export function startCli(argv: string[], options: CliOptions = {}): RunningCli {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: options.env ?? {},
    signal: options.signal,
  };
  const result = run(argv, io).then((code) => ({ code, stdout, stderr }));
  return { stdout: () => stdout, stderr: () => stderr, result };
}

/** Runs a command line in-process to its end. */
export const runCli = (argv: string[], options: CliOptions = {}): Promise<CliResult> =>
  startCli(argv, options).result;
