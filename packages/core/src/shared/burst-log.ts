/** Where a burst log writes; any `console`-like object fits. */
export interface BurstLogger {
  warn?(message: string, details?: unknown): void;
}

/**
 * Logs the first failure of a burst and stays quiet until an operation succeeds again, then logs
 * one recovery line: an outage under load writes two lines, not one per request (django-redis logs
 * every swallowed failure).
 */
export class BurstLog {
  private failures = 0;

  constructor(
    private readonly logger: BurstLogger,
    /** The recovery line, given how many operations failed in the burst. */
    private readonly recovered: (failures: number) => string,
  ) {}

  /** True between a failure and the next success. */
  get failing(): boolean {
    return this.failures > 0;
  }

  /** Counts a failure; only the first of a burst is logged. */
  failed(message: string, details?: unknown): void {
    this.failures += 1;
    if (this.failures === 1) this.logger.warn?.(message, details);
  }

  /** Ends a burst, if one is open, with its recovery line. Cheap when none is: it runs on every success. */
  succeeded(): void {
    if (this.failures === 0) return;
    const failures = this.failures;
    this.failures = 0;
    this.logger.warn?.(this.recovered(failures), { failures });
  }
}
