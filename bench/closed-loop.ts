/**
 * What the throughput benchmarks share: a closed-loop load phase (N workers, each awaiting its
 * operation before the next) and the median of the rounds.
 */

/** Ops per second of one phase, and the client process's CPU (user + system) per op in µs. */
export interface PhaseResult {
  opsPerSec: number;
  cpuUsPerOp: number;
}

/**
 * Runs `op` from `concurrency` workers for `ms` milliseconds; worker `w` uses keys `k{w}`,
 * `k{w + concurrency}`, … modulo `keys`.
 */
export async function closedLoop(
  op: (key: string) => Promise<unknown>,
  options: { concurrency: number; ms: number; keys: number },
): Promise<PhaseResult> {
  const { concurrency, ms, keys } = options;
  let done = 0;
  const deadline = performance.now() + ms;
  const worker = async (w: number) => {
    for (let i = w; performance.now() < deadline; i += concurrency) {
      await op(`k${i % keys}`);
      done += 1;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const used = process.cpuUsage(cpu);
  return {
    opsPerSec: (done * 1000) / (performance.now() - started),
    cpuUsPerOp: (used.user + used.system) / done,
  };
}

/** The median; the mean of the middle two for an even count, 0 for none. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
