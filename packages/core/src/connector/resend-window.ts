import type { Command } from 'ioredis';
import { firstSentAt } from './failover-guard.js';

const WINDOW = Symbol('sentinel-kit.resendWindow');

type Windowed = Command & { [WINDOW]?: number };

/**
 * Marks `command` as one that may be resent after its socket died only within `ms` of when it was
 * first sent. ioredis resends such commands once it reconnects; a script that records its first
 * result under a request id for `ms` or longer (see the cache's counters) returns that result to a
 * resend inside the window instead of applying again. Past the window the record may be gone, so
 * the connector fails the command with `OutcomeUnknownError` rather than resend it.
 */
export function resendOnlyWithin<C extends Command>(command: C, ms: number): C {
  (command as Windowed)[WINDOW] = ms;
  return command;
}

/** False for a command marked by `resendOnlyWithin` whose window closed before `now`. */
export function mayResend(command: Command, now: number): boolean {
  const window = (command as Windowed)[WINDOW];
  if (window === undefined) return true;
  const sent = firstSentAt(command);
  return sent === undefined || now - sent <= window;
}
