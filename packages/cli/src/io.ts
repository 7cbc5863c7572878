/** Where a command writes: `process.stdout`/`process.stderr` in the CLI, buffers in tests. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** What a command needs from its process, injected so commands run in-process under test. */
export interface CliIO {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  /** Aborts long-running commands (`watch`, `failover`'s wait); the CLI wires it to SIGINT/SIGTERM. */
  signal?: AbortSignal;
}
