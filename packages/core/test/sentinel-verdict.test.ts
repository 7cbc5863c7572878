import { describe, expect, it } from 'vitest';
import { sentinelRoundError } from '../src/connector/node-errors.js';
import {
  AllSentinelsUnreachableError,
  AuthenticationError,
  type SentinelAttempt,
  TlsError,
  UnknownMasterError,
} from '../src/errors.js';
import {
  authRefusal,
  isAuthFailure,
  isTlsFailure,
  sentinelFailureKind,
  sentinelVerdict,
  tlsFailure,
} from '../src/sentinel/sentinel-verdict.js';

const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
const at = (port: number, cause: Error): SentinelAttempt => ({
  sentinel: { host: '127.0.0.1', port },
  cause,
});

const refused = at(1, reply('WRONGPASS invalid username-password pair or user is disabled.'));
const unknown = at(2, reply('ERR No such master with that name'));
const down = at(3, Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3'), { code: 'ECONNREFUSED' }));
const slow = at(4, new Error('timed out after 300 ms'));
const nodeError = (message: string, code: string) => Object.assign(new Error(message), { code });
const untrusted = at(
  6,
  nodeError('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'),
);

describe('the TLS-failure classifier', () => {
  it.each([
    'SELF_SIGNED_CERT_IN_CHAIN',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_HAS_EXPIRED',
    'ERR_SSL_WRONG_VERSION_NUMBER',
    'EPROTO',
  ])('recognises %s by its code', (code) => {
    expect(tlsFailure(nodeError('whatever Node says', code))).toBe(code);
    expect(isTlsFailure(nodeError('whatever Node says', code))).toBe(true);
  });

  it('does not count socket errors, replies, text or what is not an error', () => {
    expect(isTlsFailure(down.cause)).toBe(false);
    expect(isTlsFailure(reply('WRONGPASS invalid username-password pair'))).toBe(false);
    expect(isTlsFailure(new Error('SELF_SIGNED_CERT_IN_CHAIN'))).toBe(false);
    expect(isTlsFailure({ code: 'CERT_HAS_EXPIRED' })).toBe(false);
    expect(isTlsFailure(undefined)).toBe(false);
  });
});

describe('the auth-failure classifier', () => {
  it.each([
    ['NOAUTH Authentication required.', 'NOAUTH'],
    ['WRONGPASS invalid username-password pair or user is disabled.', 'WRONGPASS'],
    ['ERR invalid password', 'invalid password'],
  ])('recognises %s', (message, word) => {
    expect(isAuthFailure(reply(message))).toBe(true);
    expect(authRefusal(reply(message))).toBe(word);
  });

  it.each([
    'ERR No such master with that name',
    'NOPERM this user has no permissions to run the command',
    "ERR unknown command 'NOAUTH'",
    'Connection is closed.',
  ])('does not count %s', (message) => {
    expect(isAuthFailure(reply(message))).toBe(false);
  });

  it('does not count what is not an error', () => {
    expect(isAuthFailure('WRONGPASS')).toBe(false);
    expect(isAuthFailure(undefined)).toBe(false);
  });
});

describe('the verdict on a round in which every sentinel failed', () => {
  const verdict = (attempts: SentinelAttempt[]) =>
    sentinelVerdict('mymaster', attempts, { alias: 'hp', timeoutMs: 300 });

  it('a refused credential wins over everything else', () => {
    for (const attempts of [[down, unknown, refused], [refused], [slow, refused]]) {
      const error = verdict(attempts);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({
        code: 'ERR_AUTH',
        target: 'sentinel',
        alias: 'hp',
        node: refused.sentinel,
      });
      expect(error.message).toContain('(WRONGPASS)');
      expect(error.message).toContain('"sentinelPassword"');
    }
  });

  it('a failed TLS handshake wins like a refused credential, quoting its code', () => {
    for (const attempts of [[down, unknown, untrusted], [untrusted], [refused, slow, untrusted]]) {
      const error = verdict(attempts);
      expect(error).toBeInstanceOf(TlsError);
      expect(error).toMatchObject({
        code: 'ERR_TLS',
        target: 'sentinel',
        alias: 'hp',
        node: untrusted.sentinel,
      });
      expect(error.cause).toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' });
      expect(error.message).toMatch(/\(SELF_SIGNED_CERT_IN_CHAIN\).*"sentinelTls"/);
    }
  });

  it('then a sentinel that does not know the master, listing every sentinel asked', () => {
    const error = verdict([down, unknown, slow]);
    expect(error).toBeInstanceOf(UnknownMasterError);
    expect((error as UnknownMasterError).sentinels).toEqual([down, unknown, slow].map((a) => a.sentinel));
    expect(error.cause).toBe(unknown.cause);
  });

  it('else every sentinel was unreachable, each with its cause', () => {
    const error = verdict([down, slow]);
    expect(error).toBeInstanceOf(AllSentinelsUnreachableError);
    expect((error as AllSentinelsUnreachableError).attempts).toEqual([down, slow]);
    expect(error.message).toMatch(/127\.0\.0\.1:3: connect ECONNREFUSED.*127\.0\.0\.1:4: timed out/);
    expect(error.message).toContain('"sentinelTimeout" (now 300 ms)');
  });

  it('classifies each failure from its cause', () => {
    expect([untrusted, refused, unknown, down, slow].map((a) => sentinelFailureKind(a.cause))).toEqual([
      'tls',
      'auth',
      'unknown master',
      'unreachable',
      'unreachable',
    ]);
  });

  it('is the same verdict the connector reaches from ioredis sentinelError events', () => {
    const rounds = [
      [down, unknown, untrusted],
      [down, unknown, refused],
      [down, unknown],
      [down, slow],
    ];
    for (const attempts of rounds) {
      const fromEvents = sentinelRoundError(
        'mymaster',
        attempts.map((a) => ({ ...a, noAnswer: a === unknown })),
        { alias: 'hp', timeoutMs: 300 },
      );
      const direct = verdict(attempts);
      expect(fromEvents.constructor).toBe(direct.constructor);
      expect(fromEvents.message).toBe(direct.message);
    }
  });

  it('counts a sentinel that answered without naming a node as not knowing the master', () => {
    const noNode = { ...at(5, new Error('the sentinel named no node (reply: null)')), noAnswer: true };
    const error = sentinelRoundError('mymaster', [{ ...down, noAnswer: false }, noNode], {
      alias: 'hp',
      timeoutMs: 300,
    });
    expect(error).toBeInstanceOf(UnknownMasterError);
  });
});
