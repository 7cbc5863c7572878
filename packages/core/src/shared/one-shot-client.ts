import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';

/** Where a one-shot client connects, and how it proves who it is. */
export interface OneShotTarget {
  host: string;
  port: number;
  username?: string | undefined;
  password?: string | undefined;
  /** `true` or Node TLS options; off when absent or false. */
  tls?: boolean | ConnectionOptions | undefined;
}

/**
 * ioredis options for a connection that asks one node one question and closes: connected on
 * demand, no retries, no ready check, no offline queue to wait in, `timeoutMs` milliseconds each for
 * connecting and for the answer. A probe that cannot get an answer must fail fast and say why; the
 * caller decides whether to ask again.
 */
export function oneShotClientOptions(target: OneShotTarget, timeoutMs: number): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    tls: target.tls === true ? {} : target.tls || undefined,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    lazyConnect: true,
    retryStrategy: null,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
    protocol: 2,
    disableClientInfo: true,
  };
}
