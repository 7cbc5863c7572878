/** Options for {@link pollUntil}. */
export interface PollOptions {
  /** What is awaited, for the timeout message. */
  description: string;
  /** Give up after this many milliseconds. Default 15000 ms. */
  timeoutMs?: number;
  /** Pause between attempts, in milliseconds. Default 25 ms. */
  intervalMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown by a probe when waiting longer cannot help (what it asks has exited): {@link pollUntil} rethrows it at once. */
export class PollAbort extends Error {
  override name = 'PollAbort';
}

/**
 * Calls `probe` until it returns a value other than `undefined`/`false`, and returns that value.
 * A probe that throws counts as "not yet"; its last error is the timeout error's cause. A
 * {@link PollAbort} ends the wait at once.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: PollOptions,
): Promise<T> {
  const { description, timeoutMs = 15_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (error instanceof PollAbort) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`, { cause: lastError });
    }
    await pause(intervalMs);
  }
}
