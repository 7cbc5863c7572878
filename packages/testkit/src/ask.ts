import type { ConnectionOptions } from 'node:tls';
import { Redis, type RedisOptions } from 'ioredis';

/** Where to send a one-off command, with which password, and over TLS when `tls` is set. */
export interface Target {
  host: string;
  port: number;
  password?: string | undefined;
  tls?: ConnectionOptions | undefined;
}

/**
 * Sends one command on a fresh connection and closes it. No retries, no offline queue, short
 * timeouts: a probe that cannot get an answer fails fast, and the poller tries again.
 */
export async function ask(target: Target, command: string, ...args: (string | number)[]): Promise<unknown> {
  const options: RedisOptions = {
    host: target.host,
    port: target.port,
    password: target.password,
    tls: target.tls,
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  };
  const client = new Redis(options);
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(command, ...args);
  } finally {
    client.disconnect();
  }
}

/** Parses `INFO` text into its `field:value` pairs. */
export function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

/** Turns a flat `[k1, v1, k2, v2, …]` reply (SENTINEL MASTER / REPLICAS) into an object. */
export function pairs(reply: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  const list = Array.isArray(reply) ? reply : [];
  for (let i = 0; i + 1 < list.length; i += 2) fields[String(list[i])] = String(list[i + 1]);
  return fields;
}
