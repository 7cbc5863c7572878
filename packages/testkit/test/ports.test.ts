import { describe, expect, it } from 'vitest';
import { freePorts, retryOnPortClash } from '../src/ports.js';

const clash = () => new Error('The topology did not start: ...\nbind: Address already in use');

describe('freePorts', () => {
  it('hands out distinct loopback ports in one call', async () => {
    const ports = await freePorts(8);
    expect(new Set(ports).size).toBe(8);
    for (const port of ports) expect(port).toBeGreaterThan(0);
  });
});

describe('retryOnPortClash', () => {
  it('starts again when a port was taken, and returns the start that succeeded', async () => {
    let calls = 0;
    const result = await retryOnPortClash(async () => {
      calls += 1;
      if (calls < 3) throw clash();
      return 'started';
    });
    expect({ calls, result }).toEqual({ calls: 3, result: 'started' });
  });

  it('gives up after three clashes with the last error', async () => {
    let calls = 0;
    const start = retryOnPortClash(async () => {
      calls += 1;
      throw clash();
    });
    await expect(start).rejects.toThrow(/Address already in use/);
    expect(calls).toBe(3);
  });

  it('does not retry a failure that is not a port clash', async () => {
    let calls = 0;
    const start = retryOnPortClash(async () => {
      calls += 1;
      throw new Error('redis-server did not start: no such binary');
    });
    await expect(start).rejects.toThrow(/no such binary/);
    expect(calls).toBe(1);
  });
});
