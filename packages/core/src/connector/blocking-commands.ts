import { Command } from 'ioredis';

/**
 * Commands whose reply may legitimately take as long as they ask: a silent socket under one of
 * these is waiting, not lost. ioredis's list of blocking commands, and WAIT/WAITAOF, which block
 * until replicas acknowledge.
 */
const WAITING_COMMANDS = new Set(['wait', 'waitaof']);

/** Whether `command` may wait as long as it asks for its reply (BLPOP, XREAD, WAIT, …). */
export const mayBlock = (command: Command): boolean => {
  // `call('WAIT', …)` keeps the name as typed.
  const name = command.name.toLowerCase();
  return WAITING_COMMANDS.has(name) || Command.checkFlag('BLOCKING_COMMANDS', name);
};
