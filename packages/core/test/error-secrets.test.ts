import { inspect } from 'node:util';
import { freePorts, pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Connector,
  type ConnectorOptions,
  createCache,
  createConnector,
  isSentinelKitError,
  probeRole,
  SentinelAdmin,
} from '../src/index.js';

const PASSWORD = 'data-secret-7f3a';
const SENTINEL_PASSWORD = 'sentinel-secret-9c1e';
const WRONG_PASSWORD = 'wrong-data-pw-41d2';
const WRONG_SENTINEL_PASSWORD = 'wrong-sentinel-pw-88b0';
const SECRETS = [PASSWORD, SENTINEL_PASSWORD, WRONG_PASSWORD, WRONG_SENTINEL_PASSWORD];

/** Every rendering of `value` a logger or an application might print. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 8) return;
    seen.add(v);
    try {
      out.push(JSON.stringify(v) ?? '');
    } catch {
      // A cycle: the parts are walked one by one below.
    }
    for (const key of Reflect.ownKeys(v)) {
      const field = Object.getOwnPropertyDescriptor(v, key);
      if (field && 'value' in field) walk(field.value, depth + 1);
    }
  };
  walk(value, 0);
  return out;
}

/** What a set of failure scenarios produced: every rejection and every event payload. */
const produced: { where: string; value: unknown }[] = [];
const collect = (where: string, value: unknown) => produced.push({ where, value });
const rejection = async (where: string, call: () => Promise<unknown>) => {
  try {
    await call();
  } catch (error) {
    collect(where, error);
    return error;
  }
  throw new Error(`${where} did not fail`);
};

let topo: Topology;
const connectors: Connector[] = [];
const connect = (where: string, options: Partial<ConnectorOptions>): Connector => {
  const c = createConnector({ location: topo.location, alias: where, ...options });
  c.on('error', (error) => collect(`${where}: connector error event`, error));
  c.master().on('error', (error: unknown) => collect(`${where}: master() error event`, error));
  connectors.push(c);
  return c;
};

beforeAll(async () => {
  topo = await startTopology({
    replicas: 1,
    sentinels: 3,
    password: PASSWORD,
    sentinelPassword: SENTINEL_PASSWORD,
  });
});
afterAll(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  await topo?.stop();
});

describe('no password in any error object', () => {
  it('a wrong data-node password: the rejection, the connector events, the client events', async () => {
    const c = connect('data', { password: WRONG_PASSWORD, sentinelPassword: SENTINEL_PASSWORD });
    const error = await rejection('data: rejection', () => c.master().get('secrets:k'));
    expect(error).toMatchObject({ code: 'ERR_AUTH', target: 'data node' });
    await rejection('data: replica rejection', () => c.replica().get('secrets:k'));
  });

  it('a wrong sentinel password: the rejection and the watch events', async () => {
    const c = connect('sentinel', { password: PASSWORD, sentinelPassword: WRONG_SENTINEL_PASSWORD });
    const error = await rejection('sentinel: rejection', () => c.master().get('secrets:k'));
    expect(error).toMatchObject({ code: 'ERR_AUTH', target: 'sentinel' });
    await rejection('sentinel: sentinels()', () => c.sentinels().master());
    await pollUntil(() => produced.some((p) => p.where === 'sentinel: connector error event'), {
      description: 'an error event of the sentinel watch',
    });
  });

  it('no sentinel password at all (NOAUTH), and a SentinelAdmin with a wrong one', async () => {
    const c = connect('noauth', { password: PASSWORD });
    await rejection('noauth: rejection', () => c.master().get('secrets:k'));
    const admin = new SentinelAdmin({
      sentinels: topo.sentinels.map(({ host, port }) => ({ host, port })),
      masterName: topo.masterName,
      sentinelPassword: WRONG_SENTINEL_PASSWORD,
    });
    admin.on('sentinelError', (error: unknown) => collect('admin: sentinelError event', error));
    try {
      await rejection('admin: master()', () => admin.master());
      await rejection('admin: subscribe()', () => admin.subscribe(() => {}));
    } finally {
      await admin.close();
    }
  });

  it('a cache with a wrong password, probeRole, and sentinels that refuse connections', async () => {
    const cache = createCache(
      { location: topo.location, options: { password: WRONG_PASSWORD, sentinelPassword: SENTINEL_PASSWORD } },
      { alias: 'cache' },
    );
    try {
      await rejection('cache: get', () => cache.get('secrets:k'));
      await rejection('cache: set', () => cache.set('secrets:k', 'v'));
    } finally {
      await cache.close();
    }
    const master = await topo.master();
    await rejection('probeRole', () => probeRole(master, { password: WRONG_PASSWORD }));
    const ports = await freePorts(2);
    const c = connect('refused', {
      location: `${topo.masterName}/127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}/0`,
      sentinelPassword: SENTINEL_PASSWORD,
      password: PASSWORD,
      sentinelTimeout: 300,
    });
    await rejection('refused: rejection', () => c.master().get('secrets:k'));
  });

  it('none of the errors and events above holds a password, in any rendering', () => {
    expect(produced.length).toBeGreaterThan(10);
    for (const { where, value } of produced) {
      // Rejections and connector events are the package's own typed errors; ioredis's events on
      // master() and the admin's per-sentinel events carry driver errors, scrubbed.
      const driverEvent = where.includes('master() error event') || where.includes('sentinelError');
      if (!driverEvent) expect(isSentinelKitError(value), where).toBe(true);
      for (const text of renderings(value)) {
        for (const secret of SECRETS)
          expect(text.includes(secret), `${where}: ${text.slice(0, 400)}`).toBe(false);
      }
    }
  });
});
