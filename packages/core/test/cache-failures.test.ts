import { describe, expect, it } from 'vitest';
import {
  ignoredFailureLine,
  ignoredFailuresLog,
  isConnectionFailure,
  toCacheError,
} from '../src/cache/cache-failures.js';
import {
  AuthenticationError,
  CacheCommandError,
  CacheConnectionError,
  MasterDemotedError,
  NodeUnavailableError,
  SerializationError,
} from '../src/errors.js';

const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('isConnectionFailure', () => {
  it.each([
    ['a closed connection', new Error('Connection is closed.')],
    [
      'a refused socket',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    ],
    ['a READONLY reply', reply("READONLY You can't write against a read only replica.")],
    ['a LOADING reply', reply('LOADING Redis is loading the dataset in memory')],
    ['the connector giving up on the master', new NodeUnavailableError('master', 15000)],
    [
      'a master the sentinels name but that answers as a replica',
      new MasterDemotedError('mymaster', undefined, 5000),
    ],
  ])('counts %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a WRONGTYPE reply', reply('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['refused credentials', new AuthenticationError('data node', { host: 'h', port: 1 })],
    ['a serialization error', new SerializationError('k', 'a BigInt')],
    ['a TypeError', new TypeError('x is not a function')],
  ])('does not count %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});

describe('toCacheError', () => {
  it('wraps driver errors into typed errors with the alias and the cause, passes ours through', () => {
    const closed = new Error('Connection is closed.');
    const wrapped = toCacheError(closed, 'GET', 'hp');
    expect(wrapped).toBeInstanceOf(CacheConnectionError);
    expect((wrapped as CacheConnectionError).alias).toBe('hp');
    expect((wrapped as CacheConnectionError).cause).toBe(closed);
    expect(toCacheError(reply('WRONGTYPE nope'), 'GET', 'hp')).toBeInstanceOf(CacheCommandError);
    const ours = new SerializationError('k', 'x');
    expect(toCacheError(ours, 'SET', 'hp')).toBe(ours);
    const bug = new TypeError('bug');
    expect(toCacheError(bug, 'GET', 'hp')).toBe(bug);
  });
});

describe('the ignoreExceptions burst log', () => {
  it('logs the start of a burst once and its end once', () => {
    const lines: string[] = [];
    const burst = ignoredFailuresLog({ warn: (m: string) => lines.push(m) }, 'default');
    burst.succeeded();
    for (let i = 0; i < 5; i++)
      burst.failed(ignoredFailureLine('default', new Error('Connection is closed.')));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cache "default".*Connection is closed/);
    burst.succeeded();
    burst.succeeded();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/after 5 ignored failure/);
    burst.failed(ignoredFailureLine('default', new Error('again')));
    expect(lines).toHaveLength(3);
  });
});
