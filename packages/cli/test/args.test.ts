import { parseCliArgs, UsageError } from '@sentinel-kit/cli';
import { describe, expect, it } from 'vitest';

const LOCATION = 'mymaster/127.0.0.1:26379/0';

describe('parseCliArgs', () => {
  it('takes passwords from flags first, then REDIS_PASSWORD / SENTINEL_PASSWORD', () => {
    const env = { REDIS_PASSWORD: 'env-data', SENTINEL_PASSWORD: 'env-sentinel', SENTINEL_USERNAME: 'ops' };
    expect(parseCliArgs(['status', LOCATION], env)).toMatchObject({
      password: 'env-data',
      sentinelPassword: 'env-sentinel',
      sentinelUsername: 'ops',
    });
    expect(
      parseCliArgs(['status', LOCATION, '--password', 'flag-data', '--sentinel-password=flag-s'], env),
    ).toMatchObject({
      password: 'flag-data',
      sentinelPassword: 'flag-s',
    });
  });

  it('defaults to a 1000 ms timeout, no JSON, colour decided by the terminal', () => {
    expect(parseCliArgs(['check', LOCATION], {})).toMatchObject({
      command: 'check',
      timeoutMs: 1000,
      json: false,
      color: undefined,
      once: false,
    });
    expect(parseCliArgs(['watch', LOCATION, '--no-color', '--once', '--timeout', '250'], {})).toMatchObject({
      color: false,
      once: true,
      timeoutMs: 250,
    });
  });

  it('rejects bad command lines with a UsageError that never quotes a password', () => {
    expect(() => parseCliArgs(['status'], {})).toThrow(/needs a <location>/);
    expect(() => parseCliArgs(['status', LOCATION, '--timeout', '1.5'], {})).toThrow(
      /--timeout must be a positive/,
    );
    expect(() => parseCliArgs(['restart', LOCATION], {})).toThrow(UsageError);
    let error: unknown;
    try {
      parseCliArgs(['status', LOCATION, '--pasword=s3cret-value'], {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain('s3cret-value');
  });

  it('asks for help with no command or -h', () => {
    expect(parseCliArgs([], {}).command).toBe('help');
    expect(parseCliArgs(['status', '-h'], {}).command).toBe('help');
  });
});
