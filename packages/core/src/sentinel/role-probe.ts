import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import { AuthenticationError, type NodeAddress } from '../errors.js';
import { oneShotClientOptions } from '../shared/one-shot-client.js';
import { authRefusal } from './sentinel-verdict.js';

/** What a data node says about itself through `ROLE`. */
export interface NodeRole {
  /** `'master'` or `'slave'` (Redis's own word for a replica). */
  role: string;
  /** The node's replication offset in bytes (a replica's: how far it has processed its master's stream). */
  offset: number;
  /** For a master: its connected replicas and the offset each acknowledged. */
  replicas: (NodeAddress & { offset: number })[];
  /** For a replica: the master it follows, and its link state (`connected`, `sync`, …). */
  master?: NodeAddress & { linkState: string };
}

export interface ProbeRoleOptions {
  /** ACL user of the data node. @default none (the `default` user) */
  username?: string;
  /** Password of the data node. @default none */
  password?: string;
  /** TLS to the data node: `true` or Node TLS options. @default false */
  tls?: boolean | ConnectionOptions;
  /** Milliseconds for connecting and for the answer, each. @default 1000 */
  timeoutMs?: number;
}

/**
 * Asks one data node for its `ROLE`, to verify what the sentinels say (a sentinel may name a
 * master that has since been demoted, or one it cannot see is hung). One short-lived connection,
 * always closed. A refused password is an `AuthenticationError` naming the `password` option.
 */
export async function probeRole(address: NodeAddress, options: ProbeRoleOptions = {}): Promise<NodeRole> {
  const timeoutMs = options.timeoutMs ?? 1000;
  let socketError: Error | undefined;
  const client = new Redis(oneShotClientOptions({ ...address, ...options }, timeoutMs));
  client.on('error', (err: Error) => {
    socketError = err;
  });
  try {
    await client.connect();
    return parseRole(await client.call('ROLE'));
  } catch (err) {
    const cause = socketError ?? (err instanceof Error ? err : new Error(String(err)));
    const reply = authRefusal(cause);
    if (reply !== undefined) throw new AuthenticationError('data node', address, { cause, reply });
    throw cause;
  } finally {
    client.disconnect();
  }
}

/** `ROLE` reply → {@link NodeRole}; master: `[role, offset, [[ip, port, offset]…]]`, replica: `[role, ip, port, state, offset]`. */
export function parseRole(reply: unknown): NodeRole {
  const parts = Array.isArray(reply) ? reply : [];
  const role = String(parts[0] ?? 'unknown');
  if (role === 'master') {
    const replicas = Array.isArray(parts[2]) ? (parts[2] as unknown[][]) : [];
    return {
      role,
      offset: Number(parts[1] ?? 0),
      replicas: replicas.map((r) => ({ host: String(r[0]), port: Number(r[1]), offset: Number(r[2]) })),
    };
  }
  if (role === 'slave') {
    return {
      role,
      offset: Number(parts[4] ?? 0),
      replicas: [],
      master: { host: String(parts[1]), port: Number(parts[2]), linkState: String(parts[3]) },
    };
  }
  return { role, offset: 0, replicas: [] };
}
