import type { SessionData } from 'express-session';
import type { SessionSerializer } from './types.js';

/** What a stored value turned out to be when it is not a usable session; carries why. */
export class UnreadableSession {
  constructor(readonly reason: string) {}
}

/** express-session needs an object with a `cookie` object; anything else would throw inside it. */
function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const cookie = (value as { cookie?: unknown }).cookie;
  if (typeof cookie !== 'object' || cookie === null) return 'no "cookie" object';
  return undefined;
}

/**
 * Wraps a serializer so stored bytes that do not parse, or parse to something that is not a
 * session, come back as {@link UnreadableSession} instead of throwing: the store then answers
 * "no session" and the visitor gets a fresh one rather than a 500.
 */
export function guardedSerializer(inner: SessionSerializer): {
  parse(text: string): Promise<SessionData | UnreadableSession>;
  stringify(session: SessionData): string;
} {
  return {
    async parse(text) {
      let value: unknown;
      try {
        value = await inner.parse(text);
      } catch (error) {
        return new UnreadableSession(`does not parse (${(error as Error).message})`);
      }
      const problem = shapeProblem(value);
      return problem === undefined ? (value as SessionData) : new UnreadableSession(problem);
    },
    stringify: (session) => inner.stringify(session),
  };
}
