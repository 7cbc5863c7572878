import {
  AllSentinelsUnreachableError,
  AuthenticationError,
  type NodeAddress,
  type SentinelAttempt,
  type SentinelKitError,
  TlsError,
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

/**
 * Node's codes for a certificate it would not accept (OpenSSL's verify results, as `tls` words them);
 * `ERR_TLS_*` (a host name the certificate does not carry), `ERR_SSL_*` (OpenSSL's handshake errors)
 * and `EPROTO` (a peer that does not speak TLS, or not this version) are matched by pattern.
 */
const TLS_CERT_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);
const TLS_CODE_PATTERN = /^(ERR_TLS_|ERR_SSL_)|^EPROTO$/;

/**
 * Node's code for a failed TLS handshake (`SELF_SIGNED_CERT_IN_CHAIN`, `ERR_TLS_CERT_ALTNAME_INVALID`,
 * `ERR_SSL_WRONG_VERSION_NUMBER`, `EPROTO`, …), or undefined when `error` is no TLS failure. Read
 * from the error's `code`, which survives `scrubCause`; never from its text.
 */
export function tlsFailure(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code } = error as { code?: unknown };
  if (typeof code !== 'string') return undefined;
  return TLS_CERT_CODES.has(code) || TLS_CODE_PATTERN.test(code) ? code : undefined;
}

/** True when a TLS handshake with a server (a data node or a sentinel) failed. */
export function isTlsFailure(error: unknown): boolean {
  return tlsFailure(error) !== undefined;
}

/**
 * How one sentinel failed: its TLS handshake failed, it refused the credentials, it does not know
 * the master, or it did not answer.
 */
export type SentinelFailureKind = 'tls' | 'auth' | 'unknown master' | 'unreachable';

/** One sentinel's failure; `kind` when the caller knows it better than the cause's text tells. */
export interface ClassifiedAttempt extends SentinelAttempt {
  kind?: SentinelFailureKind;
}

/** The kind of one sentinel's failure, from its cause. */
export function sentinelFailureKind(cause: Error): SentinelFailureKind {
  if (isTlsFailure(cause)) return 'tls';
  if (isAuthFailure(cause)) return 'auth';
  if (UNKNOWN_MASTER_REPLY.test(cause.message)) return 'unknown master';
  return 'unreachable';
}

/**
 * The one error for a round in which every sentinel failed. A failed TLS handshake wins, then a
 * refused credential (neither will fix itself, and the sentinels that did not fail so may only have
 * been slower; the handshake comes before the credentials are sent); then a sentinel
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
  const untrusted = first('tls');
  if (untrusted !== undefined) {
    const { sentinel, cause } = untrusted;
    return new TlsError('sentinel', sentinel, { alias, cause, tlsCode: tlsFailure(cause) });
  }
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
