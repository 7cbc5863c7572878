import type { ConnectorLogger } from '../connector/connector-options.js';
import type { BurstLog } from '../shared/burst-log.js';
import { noteIgnoredFailure } from '../telemetry/call-record.js';
import {
  ignoredFailureLine,
  ignoredFailuresLog,
  isConnectionFailure,
  toCacheError,
} from './cache-failures.js';

/**
 * How a cache runs one Redis call: a connection failure becomes `CacheConnectionError`, or — with
 * `ignoreExceptions` — the call's `fallback` (a miss, a no-op) and one log line per burst; other
 * Redis refusals become `CacheCommandError`.
 */
export class CommandRunner {
  private readonly burst: BurstLog;

  constructor(
    private readonly alias: string | undefined,
    private readonly ignoreExceptions: boolean,
    logger: ConnectorLogger,
  ) {
    this.burst = ignoredFailuresLog(logger, alias);
  }

  async run<R>(command: string, fallback: R, call: () => Promise<R>): Promise<R> {
    try {
      const result = await call();
      this.burst.succeeded();
      return result;
    } catch (error) {
      return this.failed(error, command, fallback);
    }
  }

  /** A call succeeded: ends a burst of ignored failures. Cheap, for the hot paths that inline `run`. */
  succeeded(): void {
    this.burst.succeeded();
  }

  /** The typed error for a failed call, thrown — or, when `ignoreExceptions` may swallow it, `fallback`. */
  failed<T>(error: unknown, command: string, fallback: T): T {
    const typed = toCacheError(error, command, this.alias, !this.ignoreExceptions);
    if (this.ignoreExceptions && isConnectionFailure(typed)) {
      noteIgnoredFailure(typed);
      this.burst.failed(ignoredFailureLine(this.alias, typed), { alias: this.alias, error: typed });
      return fallback;
    }
    throw typed;
  }

  /** The typed error of a call that has no neutral result (a counter), which even `ignoreExceptions` throws. */
  typed(error: unknown, command: string): unknown {
    return toCacheError(error, command, this.alias);
  }
}
