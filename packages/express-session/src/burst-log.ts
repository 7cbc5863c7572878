import type { SessionStoreLogger } from './types.js';

/**
 * Logs the first failure of a burst and stays quiet until an operation succeeds again, so an
 * outage under load writes two lines, not one per request (django-redis's IGNORE_EXCEPTIONS habit).
 */
export class BurstLog {
  private suppressed = 0;
  private inBurst = false;

  constructor(
    private readonly logger: SessionStoreLogger,
    /** Names what recovered in the recovery line, e.g. "Session store". */
    private readonly subject: string,
  ) {}

  failure(message: string, error: unknown): void {
    if (this.inBurst) {
      this.suppressed += 1;
      return;
    }
    this.inBurst = true;
    this.logger.warn(message, error);
  }

  success(): void {
    if (!this.inBurst) return;
    this.logger.warn(`${this.subject} recovered after ${this.suppressed + 1} failed operation(s).`);
    this.inBurst = false;
    this.suppressed = 0;
  }
}
