import {
  AllSentinelsUnreachableError,
  AuthenticationError,
  type NodeAddress,
  type SentinelAttempt,
  type SentinelKitError,
  UnknownMasterError,
} from '../errors.js';

/**
 * Redis's replies to refused credentials: `NOAUTH` (none given, or none accepted yet), `WRONGPASS`
 * (Redis 6 and later) and `ERR invalid password` (before 6). Sentinels answer the same way.
 */
const AUTH_REPLY = /^(NOAUTH|WRONGPASS)\b|^ERR (invalid password)\b/;

/** A sentinel's reply about a master it does not monitor (`ERR No such master with that name`). */
const UNKNOWN_MASTER_REPLY = /No such master/i;

/** The server's word for a refused credential (`NOAUTH`, `WRONGPASS`, `invalid password`), or undefined. */
export function authRefusal(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = AUTH_REPLY.exec(error.message);
  return match === null ? undefined : (match[1] ?? match[2]);
}

/** True when a server (a data node or a sentinel) refused the credentials. */
export function isAuthFailure(error: unknown): boolean {
  return authRefusal(error) !== undefined;
}

/** How one sentinel failed: it refused the credentials, it does not know the master, or it did not answer. */
export type SentinelFailureKind = 'auth' | 'unknown master' | 'unreachable';

/** One sentinel's failure; `kind` when the caller knows it better than the cause's text tells. */
export interface ClassifiedAttempt extends SentinelAttempt {
  kind?: SentinelFailureKind;
}

/** The kind of one sentinel's failure, from its cause. */
export function sentinelFailureKind(cause: Error): SentinelFailureKind {
  if (isAuthFailure(cause)) return 'auth';
  if (UNKNOWN_MASTER_REPLY.test(cause.message)) return 'unknown master';
  return 'unreachable';
}

/**
 * The one error for a round in which every sentinel failed. A refused credential wins (it will not
 * fix itself, and the sentinels that did not refuse may only have been slower); then a sentinel
 * that answered it does not know the master (the name is wrong for the sentinels that can tell);
 * else no sentinel could be asked, and the summary lists each one's cause.
 */
export function sentinelVerdict(
  masterName: string,
  failures: readonly ClassifiedAttempt[],
  context: { alias?: string | undefined; timeoutMs?: number },
): SentinelKitError {
  const kinds = failures.map((f) => f.kind ?? sentinelFailureKind(f.cause));
  const first = (kind: SentinelFailureKind) => failures[kinds.indexOf(kind)];
  const { alias } = context;
  const refused = first('auth');
  if (refused !== undefined) {
    const { sentinel, cause } = refused;
    return new AuthenticationError('sentinel', sentinel, { alias, cause, reply: authRefusal(cause) });
  }
  const unknown = first('unknown master');
  if (unknown !== undefined) {
    const asked: NodeAddress[] = failures.map((f) => f.sentinel);
    return new UnknownMasterError(masterName, asked, { alias, cause: unknown.cause });
  }
  const attempts = failures.map(({ sentinel, cause }) => ({ sentinel, cause }));
  return new AllSentinelsUnreachableError(masterName, attempts, context);
}
