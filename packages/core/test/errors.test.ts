import type { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { Cache, type CacheConnection } from '../src/cache/cache.js';
import { toCacheError } from '../src/cache/cache-failures.js';
import * as errors from '../src/errors.js';
import {
  AuthenticationError,
  CacheConnectionError,
  ERROR_CODES,
  InvalidLocationError,
  isSentinelKitError,
  LockTimeoutError,
  NodeUnavailableError,
  SentinelKitError,
  TlsError,
  UnknownCacheAliasError,
  UnknownMasterError,
} from '../src/errors.js';

type ErrorsModule = typeof errors;
const node = { host: '127.0.0.1', port: 6379 };
const cause = new Error('Connection is closed.');

/** One instance of every class the module exports, made through the module given (a copy or this one). */
function everyError(m: ErrorsModule, alias?: string): errors.SentinelKitError[] {
  const context = { alias, cause };
  return [
    new m.InvalidLocationError({ problem: 'Invalid location "x": port', fix: 'Expected h:p' }, 'port'),
    new m.NotSentinelLocationError(context),
    new m.UnsupportedLocationError('the CLI', 'cluster', context),
    new m.NoSentinelsError(context),
    new m.ClosedError('SentinelAdmin', context),
    new m.AllSentinelsUnreachableError('mymaster', [{ sentinel: node, cause }], { alias, timeoutMs: 500 }),
    new m.UnknownMasterError('mymaster', [node], context),
    new m.AuthenticationError('sentinel', node, { ...context, reply: 'WRONGPASS' }),
    new m.TlsError('sentinel', node, { ...context, tlsCode: 'SELF_SIGNED_CERT_IN_CHAIN' }),
    new m.FailoverRefusedError('mymaster', node, { alias, cause: new Error('INPROG failover in progress') }),
    new m.ClusterUnreachableError([{ node, cause }], { alias, timeoutMs: 500 }),
    new m.ClusterFailoverRefusedError(node, { host: '127.0.0.1', port: 6380 }, context),
    new m.NodeUnavailableError('replica', 300, context),
    new m.NoReplicasError(context),
    new m.ReadOnlyNodeError(node, context),
    new m.MasterDemotedError('mymaster', node, 5000, context),
    new m.OutcomeUnknownError('master', 'set', 15000, context),
    new m.NodeConnectionError('sentinel', node, context),
    new m.CacheConnectionError('GET', { ...context, ignorable: true }),
    new m.CacheCommandError('GET', { alias, cause: new Error('WRONGTYPE wrong kind') }),
    new m.KeyNotFoundError('k', 'dj:1:k', context),
    new m.ValueNotIntegerError('k', context),
    new m.SerializationError('k', 'the value is a BigInt', context),
    new m.DeserializationError('k', 'json: Unexpected token', context),
    new m.UnknownCacheAliasError('nope', ['default']),
    new m.InvalidCacheConfigError(
      { problem: 'Invalid "version" 1.5', fix: 'Set "version" to an integer' },
      context,
    ),
    new m.InvalidCacheArgumentError({ problem: 'Invalid timeout NaN', fix: 'Pass seconds' }, context),
    new m.InvalidEnvError('CACHES_DEFAULT_VERSION', 'expected a whole number, got "x"', context),
    new m.CompressorUnavailableError('zstd', 'this Node.js has no zstd', context),
    new m.LockNotOwnedError('job', 'release', context),
    new m.LockTimeoutError('job', 2, context),
    new m.GetOrSetLockError('k', context),
  ];
}

/** A class that extends the base from outside core with a message written whole, as cli and express-session do. */
function externalError(m: ErrorsModule) {
  return class UsageError extends m.SentinelKitError<'ERR_CLI_USAGE'> {
    override name = 'UsageError';
    constructor(message: string, alias?: string) {
      super('ERR_CLI_USAGE', message, { alias });
    }
  };
}

describe('the codes', () => {
  it('are unique, and every exported class has its own static code, carried by its instances', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    const made = everyError(errors, 'a');
    const classes = Object.values(errors).filter(
      (value): value is typeof SentinelKitError =>
        typeof value === 'function' && value.prototype instanceof SentinelKitError,
    );
    expect(new Set(made.map((e) => e.constructor))).toEqual(new Set(classes));
    for (const error of made) {
      const type = error.constructor as unknown as { code: string; name: string };
      expect(Object.hasOwn(type, 'code')).toBe(true);
      expect(error.code).toBe(type.code);
      expect(error.name).toBe(type.name);
      expect(ERROR_CODES).toContain(error.code);
    }
    expect(new Set(made.map((e) => e.code)).size).toBe(made.length);
  });
});

describe('the message form', () => {
  it('says what happened, then the cache, then the fix naming the option', () => {
    const error = new NodeUnavailableError('master', 300, { alias: 'hp', cause });
    expect(error.message).toBe(
      'No master was reachable for 300 ms (cache "hp"): last error: Connection is closed. ' +
        'Raise "queueTimeout" (ms) to let commands wait longer.',
    );
    expect(new NodeUnavailableError('master', 300).message).toBe(
      'No master was reachable for 300 ms. Raise "queueTimeout" (ms) to let commands wait longer.',
    );
  });

  it('is one well-punctuated text for every class, with and without an alias', () => {
    for (const alias of ['hp', undefined]) {
      for (const error of everyError(errors, alias)) {
        expect(error.message).toMatch(/\.$/);
        expect(error.message).not.toMatch(/\.\.|\. \.|\.:|\.\s\(/);
        // A location is parsed before any cache owns it; an unknown alias names the alias itself.
        const unowned = error instanceof UnknownCacheAliasError || error instanceof InvalidLocationError;
        if (alias !== undefined && !unowned) {
          expect(error.message).toContain(' (cache "hp")');
        }
        if (alias === undefined) expect(error.message).not.toContain('(cache ');
      }
    }
  });

  it('quotes the refusal word of an authentication failure, never a password', () => {
    const error = new AuthenticationError('data node', node, { reply: 'WRONGPASS', alias: 'hp' });
    expect(error.message).toMatch(
      /^The data node 127\.0\.0\.1:6379 refused the credentials \(WRONGPASS\) \(cache "hp"\)\. Check the option "password"/,
    );
  });
});

describe('TlsError', () => {
  it("quotes Node's code and names the option per side; the cause keeps its code", () => {
    const tls = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    const data = new TlsError('data node', node, { alias: 'hp', cause: tls, tlsCode: 'CERT_HAS_EXPIRED' });
    expect(data.message).toBe(
      'The TLS handshake with the data node 127.0.0.1:6379 failed (CERT_HAS_EXPIRED) (cache "hp"): certificate has expired. ' +
        'Check the option "tls": its "ca" must have signed the data node\'s certificate, and the host dialled (or "servername") must be a name that certificate carries.',
    );
    expect(data).toMatchObject({
      code: 'ERR_TLS',
      target: 'data node',
      node,
      cause: { code: 'CERT_HAS_EXPIRED' },
    });
    const sentinel = new TlsError('sentinel', node, { cause: tls, tlsCode: 'CERT_HAS_EXPIRED' });
    expect(sentinel.message).toMatch(
      /CERT_HAS_EXPIRED.*Check the option "sentinelTls" \(sentinels use "tls"/,
    );
  });
});

describe('forAlias', () => {
  it('is a copy of the same class for another cache, with the fields, cause and stack kept', () => {
    const original = new UnknownMasterError('mymaster', [node], { alias: 'a', cause });
    const copy = original.forAlias('b');
    expect(copy).not.toBe(original);
    expect(copy).toBeInstanceOf(UnknownMasterError);
    expect(Object.getPrototypeOf(copy)).toBe(UnknownMasterError.prototype);
    expect(copy).toMatchObject({
      code: 'ERR_UNKNOWN_MASTER',
      alias: 'b',
      masterName: 'mymaster',
      sentinels: [node],
    });
    expect(copy.cause).toBe(cause);
    expect(copy.message).toBe(original.message.replace('(cache "a")', '(cache "b")'));
    expect(copy.message).not.toContain('"a"');
    expect(copy.stack?.split('\n')[0]).toBe(`UnknownMasterError: ${copy.message}`);
    expect(copy.stack?.split('\n').slice(1)).toEqual(original.stack?.split('\n').slice(1));
    expect(isSentinelKitError(copy, 'ERR_UNKNOWN_MASTER')).toBe(true);
    expect(original).toMatchObject({ alias: 'a' });
    expect(original.message).toContain('(cache "a")');
  });

  it('labels an error that had no alias, and returns the error itself for its own alias', () => {
    const bare = new NodeUnavailableError('master', 300);
    expect(bare.forAlias('b').message).toMatch(/^No master was reachable for 300 ms \(cache "b"\)\. /);
    const own = bare.forAlias('b');
    expect(own.forAlias('b')).toBe(own);
  });

  it('keeps an unknown alias error as it is: the alias is its subject, not the cache that relays it', () => {
    const unknown = new UnknownCacheAliasError('nope', ['default']);
    expect(unknown.forAlias('default')).toBe(unknown);
    expect(unknown.message).not.toContain('(cache ');
  });

  it('replaces the label inside a message written whole by a subclass outside core', () => {
    const UsageError = externalError(errors);
    const copy = new UsageError('Bad flag (cache "a"), try again', 'a').forAlias('b');
    expect(copy).toBeInstanceOf(UsageError);
    expect(copy.message).toBe('Bad flag (cache "b"), try again');
  });
});

describe('instanceof and isSentinelKitError across two copies of the module', () => {
  async function secondCopy(): Promise<ErrorsModule> {
    vi.resetModules();
    const copy = (await import('../src/errors.js')) as ErrorsModule;
    vi.resetModules();
    return copy;
  }

  it('hold for every class, both ways, by brand and code', async () => {
    const other = await secondCopy();
    expect(other.SentinelKitError).not.toBe(SentinelKitError);
    expect(other.AuthenticationError).not.toBe(AuthenticationError);
    const mine = everyError(errors, 'a');
    const theirs = everyError(other, 'a');
    for (const [i, error] of theirs.entries()) {
      const myClass = (mine[i] as errors.SentinelKitError).constructor as new (...args: never[]) => unknown;
      expect(Object.getPrototypeOf(error)).not.toBe(myClass.prototype);
      expect(error).toBeInstanceOf(myClass);
      expect(error).toBeInstanceOf(SentinelKitError);
      expect(error).toBeInstanceOf(Error);
      expect(mine[i]).toBeInstanceOf(error.constructor as new (...args: never[]) => unknown);
      expect(isSentinelKitError(error)).toBe(true);
      expect(isSentinelKitError(error, error.code)).toBe(true);
      expect(other.isSentinelKitError(mine[i], error.code)).toBe(true);
    }
    const auth = theirs.find((e) => e.code === 'ERR_AUTH');
    expect(auth).not.toBeInstanceOf(UnknownMasterError);
    expect(isSentinelKitError(auth, 'ERR_UNKNOWN_MASTER')).toBe(false);
  });

  it('hold for subclasses made outside core, which match by their prototype chain', async () => {
    const other = await secondCopy();
    const UsageError = externalError(other);
    const usage = new UsageError('Unknown command');
    expect(usage).toBeInstanceOf(SentinelKitError);
    expect(usage).toBeInstanceOf(UsageError);
    expect(isSentinelKitError(usage, 'ERR_CLI_USAGE')).toBe(true);
    expect(new errors.AuthenticationError('sentinel', node)).not.toBeInstanceOf(UsageError);
    // A subclass of a core class with no code of its own must not claim every error of that code.
    class InjectedAliasError extends other.UnknownCacheAliasError {}
    expect(new InjectedAliasError('x', [])).toBeInstanceOf(UnknownCacheAliasError);
    expect(new UnknownCacheAliasError('x', [])).not.toBeInstanceOf(InjectedAliasError);
  });

  it('are false for plain errors and look-alikes without the brand', () => {
    const lookalike = Object.assign(new Error('x'), { code: 'ERR_AUTH', name: 'AuthenticationError' });
    expect(lookalike).not.toBeInstanceOf(SentinelKitError);
    expect(lookalike).not.toBeInstanceOf(AuthenticationError);
    expect(isSentinelKitError(lookalike)).toBe(false);
    expect(isSentinelKitError(undefined)).toBe(false);
    expect(isSentinelKitError('ERR_AUTH')).toBe(false);
  });
});

describe('hints are true in the situation', () => {
  /** A connection whose every command fails as a closed socket does. */
  const broken: CacheConnection = {
    master: () => failingClient(),
    replica: () => failingClient(),
  };
  function failingClient(): Redis {
    return new Proxy({} as Redis, {
      get: () => () => Promise.reject(new Error('Connection is closed.')),
    });
  }
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e as Error,
    );

  it('suggests ignoreExceptions only when it is off and would have turned the failure into a miss', async () => {
    const strict = new Cache({ location: 'redis://127.0.0.1:1/0' }, broken, { alias: 'strict' });
    const get = await failure(strict.get('k'));
    expect(get).toBeInstanceOf(CacheConnectionError);
    expect(get?.message).toMatch(
      /^Could not run GET \(cache "strict"\): Connection is closed\. Set the option "ignoreExceptions: true"/,
    );
    // A counter has no neutral result: incr throws whatever ignoreExceptions says, so it is not suggested.
    const incr = await failure(strict.incr('k'));
    expect(incr).toBeInstanceOf(CacheConnectionError);
    expect(incr?.message).not.toContain('ignoreExceptions');
    const lenient = new Cache(
      { location: 'redis://127.0.0.1:1/0', options: { ignoreExceptions: true, logger: {} } },
      broken,
      {
        alias: 'lenient',
      },
    );
    expect(await lenient.get('k', 'fallback')).toBe('fallback');
    const lenientIncr = await failure(lenient.incr('k'));
    expect(lenientIncr).toBeInstanceOf(CacheConnectionError);
    expect(lenientIncr?.message).not.toContain('ignoreExceptions');
  });

  it('a lock, which ignoreExceptions never covers, does not suggest it', async () => {
    const cache = new Cache({ location: 'redis://127.0.0.1:1/0' }, broken, { alias: 'strict' });
    const error = await failure(cache.lock('job').acquire());
    expect(error).toBeInstanceOf(CacheConnectionError);
    expect(error?.message).not.toContain('ignoreExceptions');
  });

  it('a lock that cannot wait says so instead of suggesting blockingTimeout', () => {
    expect(new LockTimeoutError('job', null).message).toContain('"blocking: true"');
    expect(new LockTimeoutError('job', null).message).not.toContain('blockingTimeout');
    expect(new LockTimeoutError('job', 2).message).toContain('"blockingTimeout"');
  });
});

describe('toCacheError names the cache whose call failed', () => {
  it('relabels an error of a connector another cache opened', () => {
    const fromConnector = new NodeUnavailableError('master', 300, { alias: 'a', cause });
    const seen = toCacheError(fromConnector, 'SET', 'b') as NodeUnavailableError;
    expect(seen).toBeInstanceOf(NodeUnavailableError);
    expect(seen.alias).toBe('b');
    expect(seen.message).toContain('(cache "b")');
    expect(seen.message).not.toContain('"a"');
    expect(toCacheError(seen, 'SET', 'b')).toBe(seen);
  });
});
