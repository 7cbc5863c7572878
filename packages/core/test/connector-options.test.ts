import { describe, expect, it } from 'vitest';
import { cachesFromEnv } from '../src/cache/env.js';
import { connectorOptionsOf } from '../src/cache/registry.js';
import { connectorKey } from '../src/connector/connector-key.js';
import {
  CONNECTOR_OPTIONS,
  type ConnectorOptions,
  PASSED_OPTIONS,
  resolveSettings,
} from '../src/connector/connector-options.js';

const location = 'mymaster/127.0.0.1:26379,127.0.0.1:26380/0';

/** A value of the right kind for each option, different from its default. */
const SAMPLE: Required<Omit<ConnectorOptions, 'location'>> = {
  password: 'pw',
  username: 'user',
  sentinelPassword: 'spw',
  sentinelUsername: 'suser',
  sentinelTimeout: 1234,
  socketConnectTimeout: 2345,
  socketTimeout: 3456,
  readFrom: 'master',
  tls: true,
  sentinelTls: false,
  natMap: { '10.0.0.1:6379': { host: '127.0.0.1', port: 6379 } },
  alias: 'hp',
  logger: {},
  failoverHoldTimeout: 4567,
  masterCheckInterval: 5678,
  maxReconnectDelay: 321,
  queueTimeout: 6789,
};

const entries = Object.entries(CONNECTOR_OPTIONS) as [
  keyof ConnectorOptions,
  (typeof CONNECTOR_OPTIONS)[keyof ConnectorOptions],
][];

describe('CONNECTOR_OPTIONS, the one declaration of the connector options', () => {
  it('fills in every default, and only where the option was not given', () => {
    const defaults = resolveSettings({ location });
    for (const [name, spec] of entries) {
      if (spec.default !== undefined) expect(defaults).toHaveProperty(name, spec.default);
    }
    const given = resolveSettings({ location, ...SAMPLE });
    for (const name of Object.keys(given) as (keyof typeof given)[]) expect(given[name]).toBe(SAMPLE[name]);
  });

  it('puts every option that changes the sockets into the connector key, and nothing else', () => {
    const base = connectorKey({ location });
    for (const [name, spec] of entries) {
      if (name === 'location') continue;
      const changed = connectorKey({ location, [name]: SAMPLE[name] } as ConnectorOptions);
      if (spec.identity === false) expect(changed, name).toBe(base);
      else expect(changed, name).not.toBe(base);
    }
    expect(connectorKey({ location, password: 'secret-pw' })).not.toContain('secret-pw');
  });

  it('passes every option of a cache config on to its connector', () => {
    const options = Object.fromEntries(PASSED_OPTIONS.map((name) => [name, SAMPLE[name]]));
    const passed = connectorOptionsOf({ location, options }, 'hp');
    expect(passed).toEqual({ location, alias: 'hp', ...options });
  });

  it('reads every option that declares a variable from CACHES_<ALIAS>_<SUFFIX>', () => {
    for (const [name, spec] of entries) {
      if (!('env' in spec)) continue;
      const raw = { milliseconds: '750', text: 'value', boolean: 'true', readFrom: 'replica' }[spec.env.kind];
      const configs = cachesFromEnv({ CACHES_HP_LOCATION: location, [`CACHES_HP_${spec.env.suffix}`]: raw });
      const expected = { milliseconds: 750, text: 'value', boolean: true, readFrom: 'replica' }[
        spec.env.kind
      ];
      expect(configs.hp?.options, name).toEqual({ [name]: expected });
    }
  });
});
