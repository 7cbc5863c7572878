import { SentinelKitError } from '@sentinel-kit/core';

/** A command line the CLI cannot run: unknown command or flag, missing or non-sentinel location. */
export class UsageError extends SentinelKitError {
  override name = 'UsageError';

  constructor(message: string) {
    super('ERR_CLI_USAGE', message);
  }
}
