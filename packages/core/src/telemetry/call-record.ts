import type { Cluster, Redis } from 'ioredis';
import { otel } from './otel-api.js';

/** What one observed cache call learns while it runs, for its span and its metrics. */
export class CallRecord {
  /** The first client the call was handed: the node that answers is where its socket is. */
  client: Redis | Cluster | undefined;
  /** A failure `ignoreExceptions` turned into a miss or a no-op: the call still counts as an error. */
  ignoredFailure: unknown;
  /** `getOrSet` had to fill the key (its producer ran, or it stored the value it was given). */
  filled = false;
}

/** The context entry that marks code running inside an observed cache call. */
export const CALL_KEY: symbol = otel?.createContextKey('sentinel_kit.cache.call') ?? Symbol('unused');

/** The call whose synchronous part runs now. */
let current: CallRecord | undefined;
/** Observed calls not settled yet: while none is, nothing needs the (costlier) context lookup. */
let open = 0;

/** An observed call began. */
export function callOpened(): void {
  open++;
}

/** Runs `body` as the synchronous part of `record`'s call. */
export function inCall<T>(record: CallRecord, body: () => T): T {
  const previous = current;
  current = record;
  try {
    return body();
  } finally {
    current = previous;
  }
}

/** An observed call settled. */
export function callSettled(): void {
  open--;
}

/** The observed call this code runs in: its synchronous part, or, past an await, the active context. */
export function currentCall(): CallRecord | undefined {
  if (current !== undefined || open === 0 || otel === undefined) return current;
  return otel.context.active().getValue(CALL_KEY) as CallRecord | undefined;
}

/** The cache handed `client` to the call running now. */
export function noteClient(client: Redis | Cluster): void {
  if (current === undefined && open === 0) return;
  const call = currentCall();
  if (call !== undefined && call.client === undefined) call.client = client;
}

/** `ignoreExceptions` swallowed `error` in the call running now. */
export function noteIgnoredFailure(error: unknown): void {
  const call = currentCall();
  if (call !== undefined) call.ignoredFailure = error;
}
