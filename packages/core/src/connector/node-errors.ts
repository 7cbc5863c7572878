import {
  AllSentinelsUnreachableError,
  AuthenticationError,
  type NodeAddress,
  NoReplicasError,
  ReadOnlyNodeError,
  type SentinelAttempt,
  SentinelKitError,
  UnknownMasterError,
} from '../errors.js';

export { isAllSentinelsUnreachable, parseSentinelFailure } from './ioredis/driver-messages.js';

const isAuthFailure = (message: string): boolean => /\b(NOAUTH|WRONGPASS)\b|invalid password/.test(message);

/**
 * A data node's reply or failure → the typed error callers see. Errors that are not about the
 * connection (WRONGTYPE, a script error) pass through unchanged.
 */
export function translateNodeError(
  error: Error,
  context: { alias: string | undefined; node: () => NodeAddress | undefined },
): Error {
  if (error instanceof SentinelKitError) return error;
  const { message } = error;
  const options = { alias: context.alias, cause: error };
  if (message.startsWith('NOREPLICAS')) return new NoReplicasError(options);
  if (isAuthFailure(message)) {
    return new AuthenticationError('data node', context.node() ?? { host: 'unknown', port: 0 }, options);
  }
  if (message.startsWith('READONLY')) return new ReadOnlyNodeError(context.node(), options);
  return error;
}

/**
 * The error for a round in which every sentinel failed to name a node: a refused credential wins
 * (it will not fix itself), then "no sentinel knows this master", else the unreachable summary.
 */
export function sentinelRoundError(
  masterName: string,
  attempts: (SentinelAttempt & { noAnswer: boolean })[],
  options: { alias: string | undefined; timeoutMs: number },
): SentinelKitError {
  const refused = attempts.find((a) => isAuthFailure(a.cause.message));
  if (refused !== undefined) {
    return new AuthenticationError('sentinel', refused.sentinel, {
      alias: options.alias,
      cause: refused.cause,
    });
  }
  if (attempts.length > 0 && attempts.every((a) => a.noAnswer)) {
    return new UnknownMasterError(
      masterName,
      attempts.map((a) => a.sentinel),
      { alias: options.alias },
    );
  }
  return new AllSentinelsUnreachableError(
    masterName,
    attempts.map(({ sentinel, cause }) => ({ sentinel, cause })),
    options,
  );
}
