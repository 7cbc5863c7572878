import {
  AuthenticationError,
  isSentinelKitError,
  type NodeAddress,
  NodeConnectionError,
  NoReplicasError,
  ReadOnlyNodeError,
  type SentinelAttempt,
  type SentinelKitError,
  TlsError,
} from '../errors.js';
import { authRefusal, sentinelVerdict, tlsFailure } from '../sentinel/sentinel-verdict.js';

export { isAllSentinelsUnreachable, parseSentinelFailure } from './ioredis/driver-messages.js';

/**
 * A data node's reply or failure → the typed error callers see. Errors that are not about the
 * connection (WRONGTYPE, a script error) pass through unchanged. `sentinel`: the location is a
 * sentinel one (the sentinels chose the node), which changes what a READONLY error advises.
 */
export function translateNodeError(
  error: Error,
  context: { alias: string | undefined; node: () => NodeAddress | undefined; sentinel?: boolean },
): Error {
  if (isSentinelKitError(error)) return error;
  const { message } = error;
  const options = { alias: context.alias, cause: error };
  if (message.startsWith('NOREPLICAS')) return new NoReplicasError(options);
  const tlsCode = tlsFailure(error);
  if (tlsCode !== undefined) {
    const node = context.node() ?? { host: 'unknown', port: 0 };
    return new TlsError('data node', node, { ...options, tlsCode });
  }
  const reply = authRefusal(error);
  if (reply !== undefined) {
    const node = context.node() ?? { host: 'unknown', port: 0 };
    return new AuthenticationError('data node', node, { ...options, reply });
  }
  if (message.startsWith('READONLY')) {
    return new ReadOnlyNodeError(context.node(), { ...options, sentinel: context.sentinel });
  }
  return error;
}

/**
 * The error for a round in which every sentinel failed to name a node, by the one verdict the
 * `SentinelAdmin` uses too (see `sentinelVerdict`). A sentinel that answered without naming a node
 * (`noAnswer`) counts as not knowing the master.
 */
export function sentinelRoundError(
  masterName: string,
  attempts: readonly (SentinelAttempt & { noAnswer: boolean })[],
  options: { alias: string | undefined; timeoutMs: number },
): SentinelKitError {
  const failures = attempts.map(({ sentinel, cause, noAnswer }) => ({
    sentinel,
    cause,
    kind: noAnswer ? ('unknown master' as const) : undefined,
  }));
  return sentinelVerdict(masterName, failures, options);
}

/**
 * One node's trouble as the connector's `error` event carries it: always a sentinel-kit error, so no
 * driver error (nor the command it holds, arguments and all) leaves the package through an event. A
 * failed TLS handshake is a `TlsError`, a refused credential an `AuthenticationError`; anything else
 * not typed yet a `NodeConnectionError`.
 */
export function nodeTrouble(
  error: Error,
  context: {
    target: 'sentinel' | 'master' | 'replica';
    node: NodeAddress | undefined;
    alias: string | undefined;
  },
): SentinelKitError {
  if (isSentinelKitError(error)) return error;
  const { target, node, alias } = context;
  const side = target === 'sentinel' ? 'sentinel' : 'data node';
  const tlsCode = tlsFailure(error);
  if (tlsCode !== undefined) {
    return new TlsError(side, node ?? { host: 'unknown', port: 0 }, { alias, cause: error, tlsCode });
  }
  const reply = authRefusal(error);
  if (reply !== undefined) {
    return new AuthenticationError(side, node ?? { host: 'unknown', port: 0 }, {
      alias,
      cause: error,
      reply,
    });
  }
  return new NodeConnectionError(target, node, { alias, cause: error });
}
