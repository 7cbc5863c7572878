import type { SentinelAttempt } from '../../errors.js';

/**
 * The texts ioredis itself words (not Redis replies) that sentinel-kit reads, all in one place. A
 * test pins each against the installed ioredis, so an upgrade that rewords one fails there rather
 * than silently changing how failures are classified.
 */
export const IOREDIS_TEXT = {
  /** A command on a client whose socket closed (`CONNECTION_CLOSED_ERROR_MSG`). */
  connectionClosed: 'Connection is closed',
  /** A command while disconnected with the offline queue off. */
  streamNotWriteable: "Stream isn't writeable",
  /** A command that outlived `commandTimeout`. */
  commandTimedOut: 'Command timed out',
  /** `MaxRetriesPerRequestError`: "Reached the max retries per request limit (which is N)…". */
  maxRetries: 'max retries per request',
  /** A socket that did not connect within `connectTimeout`. */
  connectTimedOut: 'connect ETIMEDOUT',
  /** The sentinel connector reached the end of its sentinel list (an `error` event, or the rejection). */
  allSentinelsUnreachable: 'All sentinels are unreachable',
  /** `sentinelError`: a sentinel that could not be asked: "failed to connect to sentinel h:p because …". */
  sentinelFailed: 'failed to connect to sentinel ',
  sentinelFailedBecause: ' because ',
  /** `sentinelError`: a sentinel that named no node: "connected to sentinel h:p successfully, but got an invalid reply: null". */
  sentinelNoNode: ' successfully, but got an invalid reply: ',
  /** A cluster command that used up `maxRedirections`: "Too many Cluster redirections. Last error: <error>". */
  tooManyRedirections: 'Too many Cluster redirections',
  lastError: 'Last error: ',
} as const;

/** The class names ioredis gives its errors (from `redis-errors`), compared by name so two copies agree. */
export const IOREDIS_ERROR_NAME = {
  reply: 'ReplyError',
  maxRetries: 'MaxRetriesPerRequestError',
} as const;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const CONNECTION_TEXT = new RegExp(
  [
    IOREDIS_TEXT.connectionClosed,
    IOREDIS_TEXT.streamNotWriteable,
    IOREDIS_TEXT.commandTimedOut,
    IOREDIS_TEXT.maxRetries,
    IOREDIS_TEXT.connectTimedOut,
    IOREDIS_TEXT.allSentinelsUnreachable,
  ]
    .map(escapeRegExp)
    .join('|'),
);

const SENTINEL_FAILURE = new RegExp(
  `sentinel (.+):(\\d+)(?:${escapeRegExp(IOREDIS_TEXT.sentinelFailedBecause)}(.*)|${escapeRegExp(IOREDIS_TEXT.sentinelNoNode)}(.*))$`,
  's',
);

/** True for a Redis server's reply (`ReplyError`), as opposed to a failure of the driver or the socket. */
export function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === IOREDIS_ERROR_NAME.reply;
}

/** True for a failure ioredis words as a lost or unusable connection (closed, timed out, out of retries). */
export function isDriverConnectionFailure(error: Error): boolean {
  return error.name === IOREDIS_ERROR_NAME.maxRetries || CONNECTION_TEXT.test(error.message);
}

/**
 * True for ioredis's own "All sentinels are unreachable…" error, which its sentinel connector raises
 * each time it reaches the end of its sentinel list (not sentinel-kit's `AllSentinelsUnreachableError`).
 */
export function isAllSentinelsUnreachable(error: Error): boolean {
  return error.message.startsWith(IOREDIS_TEXT.allSentinelsUnreachable);
}

/**
 * One sentinel's failure as ioredis's `sentinelError` event words it, or undefined if unreadable.
 * `noAnswer`: the sentinel answered but named no node (a null reply: for the master, a name it does
 * not monitor; for a replica, no usable replica), or said it has no such master.
 */
export function parseSentinelFailure(error: Error): (SentinelAttempt & { noAnswer: boolean }) | undefined {
  const match = SENTINEL_FAILURE.exec(error.message);
  if (match === null) return undefined;
  const [, host = '', port = '0', reason, reply] = match;
  const cause = new Error(reason ?? `the sentinel named no node (reply: ${reply})`);
  const noAnswer = reason === undefined || /No such master/i.test(reason);
  return { sentinel: { host, port: Number(port) }, cause, noAnswer };
}
