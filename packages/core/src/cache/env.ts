import {
  CONNECTOR_OPTIONS,
  type ConnectorOptions,
  type EnvKind,
  type OptionSpec,
  type ReadFrom,
} from '../connector/connector-options.js';
import { SENTINEL_ONLY_OPTIONS, sentinelOnlyFix } from '../connector/sentinel-only.js';
import { InvalidEnvError, InvalidLocationError } from '../errors.js';
import { maskLocation, parseLocation } from '../location/location.js';
import type { CacheConfig, CacheOptions, NearCacheOptions } from './cache-config.js';

type Env = Record<string, string | undefined>;

/** How one `CACHES_<ALIAS>_<SETTING>` variable lands in a `CacheConfig`. */
type Setting = (config: CacheConfig, options: CacheOptions, raw: string) => void;

/** What is wrong with a value; the caller adds the variable's name and alias. */
class Problem extends Error {}

const READ_FROM: readonly ReadFrom[] = ['master', 'masterPreferred', 'replica', 'replicaPreferred'];
const SERIALIZERS = ['json', 'msgpack'] as const;
const COMPRESSORS = ['none', 'zlib', 'gzip', 'brotli', 'zstd'] as const;

function integer(raw: string, what: string): number {
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) {
    throw new Problem(`expected ${what} as a whole number, got "${raw}"`);
  }
  return Number(raw);
}

function milliseconds(raw: string): number {
  const value = integer(raw, 'milliseconds');
  if (value < 0) throw new Problem(`expected milliseconds, 0 or more, got "${raw}"`);
  return value;
}

function oneOf<T extends string>(raw: string, allowed: readonly T[]): T {
  const found = allowed.find((option) => option.toLowerCase() === raw.trim().toLowerCase());
  if (found === undefined) {
    throw new Problem(`expected one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return found;
}

function boolean(raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(text)) return false;
  throw new Problem(`expected true/false (or 1/0, yes/no, on/off), got "${raw}"`);
}

/** `TIMEOUT`: seconds, possibly fractional; `none`/`null` = never expires, as Django's `None`. */
function timeout(raw: string): number | null {
  const text = raw.trim().toLowerCase();
  if (text === 'none' || text === 'null') return null;
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) {
    throw new Problem(`expected seconds as a number, or "none" for no expiry, got "${raw}"`);
  }
  return value;
}

function positive(raw: string, what: string): number {
  const value = integer(raw, what);
  if (value <= 0) throw new Problem(`expected ${what} above 0, got "${raw}"`);
  return value;
}

/** A near-cache bound: turns the near cache on with it, unless `_NEAR_CACHE` says false. */
function nearCacheBound(options: CacheOptions, bound: NearCacheOptions): void {
  if (options.nearCache === false) return;
  const given = typeof options.nearCache === 'object' ? options.nearCache : {};
  options.nearCache = { ...given, ...bound };
}

const READERS: Record<EnvKind, (raw: string) => unknown> = {
  text: (raw) => raw,
  milliseconds,
  boolean,
  readFrom: (raw) => oneOf(raw, READ_FROM),
};

/** The connector's settings, from the one declaration of its options. */
const connectorSettings = (): Record<string, Setting> => {
  const settings: Record<string, Setting> = {};
  for (const [name, spec] of Object.entries(CONNECTOR_OPTIONS) as [
    keyof ConnectorOptions,
    OptionSpec<unknown>,
  ][]) {
    if (spec.env === undefined) continue;
    const read = READERS[spec.env.kind];
    settings[spec.env.suffix] = (_, options, raw) => {
      (options as Record<string, unknown>)[name] = read(raw);
    };
  }
  return settings;
};

/** Every setting, by the suffix after `CACHES_<ALIAS>_`: the cache's own, then the connector's. */
const SETTINGS: Record<string, Setting> = {
  ...connectorSettings(),
  LOCATION: (config, _, raw) => {
    config.location = raw;
  },
  KEY_PREFIX: (config, _, raw) => {
    config.keyPrefix = raw;
  },
  VERSION: (config, _, raw) => {
    config.version = integer(raw, 'a version');
  },
  TIMEOUT: (config, _, raw) => {
    config.timeout = timeout(raw);
  },
  SERIALIZER: (_, options, raw) => {
    options.serializer = oneOf(raw, SERIALIZERS);
  },
  COMPRESSOR: (_, options, raw) => {
    options.compressor = oneOf(raw, COMPRESSORS);
  },
  COMPRESS_MIN_LENGTH: (_, options, raw) => {
    options.compressMinLength = integer(raw, 'bytes');
  },
  IGNORE_EXCEPTIONS: (_, options, raw) => {
    options.ignoreExceptions = boolean(raw);
  },
  READ_YOUR_WRITES: (_, options, raw) => {
    options.readYourWrites = milliseconds(raw);
  },
  NEAR_CACHE: (_, options, raw) => {
    const on = boolean(raw);
    if (!on || typeof options.nearCache !== 'object') options.nearCache = on;
  },
  NEAR_CACHE_MAX_ENTRIES: (_, options, raw) => {
    nearCacheBound(options, { maxEntries: positive(raw, 'entries') });
  },
  NEAR_CACHE_MAX_BYTES: (_, options, raw) => {
    nearCacheBound(options, { maxBytes: positive(raw, 'bytes') });
  },
  NEAR_CACHE_TTL: (_, options, raw) => {
    const seconds = timeout(raw);
    if (seconds === null || seconds <= 0) throw new Problem(`expected seconds above 0, got "${raw}"`);
    nearCacheBound(options, { ttl: seconds });
  },
};

/**
 * `message` about the value `raw` with every secret the environment holds masked: a location's
 * password (a URL pasted into the wrong variable, a shifted line in a .env file) and the value of
 * any `…PASSWORD` variable, whole or URL-encoded.
 */
function hideSecrets(message: string, raw: string, env: Env, names: string[]): string {
  let text = message.replaceAll(raw, maskLocation(raw));
  for (const name of names) {
    const secret = env[name];
    if (!name.endsWith('PASSWORD') || secret === undefined || secret === '') continue;
    text = text.replaceAll(secret, '***').replaceAll(encodeURIComponent(secret), '***');
  }
  return text;
}

/** The variable suffix of each sentinel-only connector option, and the option it sets. */
const SENTINEL_ONLY_SUFFIXES = new Map(
  SENTINEL_ONLY_OPTIONS.flatMap((name) => {
    const env = (CONNECTOR_OPTIONS[name] as OptionSpec<unknown>).env;
    return env === undefined ? [] : [[env.suffix, name] as const];
  }),
);

/**
 * An alias's location, parsed now so a bad one names its variable, and on a Redis Cluster location
 * no variable of a sentinel-only option: it would be ignored there. `hide` masks the secrets.
 */
function checkLocation(
  location: string,
  suffixes: string[],
  context: { variables: string; alias: string; hide: (message: string) => string },
): void {
  const { variables, alias, hide } = context;
  if (location.trim() === '') {
    throw new InvalidEnvError(`${variables}LOCATION`, 'is empty; expected a location string', { alias });
  }
  let kind: string;
  try {
    kind = parseLocation(location).kind;
  } catch (error) {
    if (!(error instanceof InvalidLocationError)) throw error;
    throw new InvalidEnvError(`${variables}LOCATION`, hide(error.message), { alias, cause: error });
  }
  if (kind !== 'cluster') return;
  for (const suffix of suffixes) {
    const name = SENTINEL_ONLY_SUFFIXES.get(suffix);
    if (name === undefined) continue;
    const { detail, fix } = sentinelOnlyFix(name, 'the variable');
    throw new InvalidEnvError(`${variables}${suffix}`, `${detail} on a Redis Cluster location. ${fix}`, {
      alias,
    });
  }
}

/** Longest suffix first, so `SENTINEL_PASSWORD` is not read as alias `…_SENTINEL` + `PASSWORD`. */
const SUFFIXES = Object.keys(SETTINGS).sort((a, b) => b.length - a.length);

/**
 * Cache configs from the environment, for twelve-factor deployments: every alias with a
 * `CACHES_<ALIAS>_LOCATION` becomes an entry (alias lower-cased: `CACHES_HP_LOCATION` → `hp`), and
 * `CACHES_<ALIAS>_KEY_PREFIX`, `_VERSION`, `_TIMEOUT` (seconds or `none`), `_SERIALIZER`,
 * `_COMPRESSOR`, `_COMPRESS_MIN_LENGTH` (bytes), `_IGNORE_EXCEPTIONS`, `_READ_YOUR_WRITES` (ms),
 * `_NEAR_CACHE` (true/false), `_NEAR_CACHE_MAX_ENTRIES`, `_NEAR_CACHE_MAX_BYTES`, `_NEAR_CACHE_TTL`
 * (seconds; a bound turns the near cache on unless `_NEAR_CACHE` is false) fill it in, and so does every connector option that `CONNECTOR_OPTIONS` gives a variable: `_PASSWORD`,
 * `_USERNAME`, `_SENTINEL_PASSWORD`, `_SENTINEL_USERNAME`, `_SENTINEL_TIMEOUT`, `_SOCKET_CONNECT_TIMEOUT`,
 * `_SOCKET_TIMEOUT`, `_FAILOVER_HOLD_TIMEOUT`, `_MASTER_CHECK_INTERVAL`, `_MAX_RECONNECT_DELAY`,
 * `_QUEUE_TIMEOUT` (all ms), `_READ_FROM`, `_TLS`. A bad value, a location that does not parse (the
 * `InvalidLocationError` is the cause), a sentinel-only variable on a Redis Cluster location
 * (`_SENTINEL_*`, `_FAILOVER_HOLD_TIMEOUT`), or a `CACHES_*` variable no alias claims, throws
 * `InvalidEnvError` naming the variable.
 *
 * @param env Default: `process.env`.
 * @param prefix Default: `'CACHES_'`.
 */
export function cachesFromEnv(env: Env = process.env, prefix = 'CACHES_'): Record<string, CacheConfig> {
  const names = Object.keys(env).filter((name) => name.startsWith(prefix) && env[name] !== undefined);
  const aliases = names
    .filter((name) => name.endsWith('_LOCATION') && name.length > prefix.length + '_LOCATION'.length)
    .map((name) => name.slice(prefix.length, -'_LOCATION'.length))
    .sort((a, b) => b.length - a.length);

  const configs = new Map<string, { config: CacheConfig; options: CacheOptions; suffixes: string[] }>();
  for (const alias of aliases) configs.set(alias, { config: { location: '' }, options: {}, suffixes: [] });

  for (const variable of names) {
    const rest = variable.slice(prefix.length);
    const alias = aliases.find(
      (a) => rest.startsWith(`${a}_`) && SUFFIXES.includes(rest.slice(a.length + 1)),
    );
    const entry = alias === undefined ? undefined : configs.get(alias);
    if (alias === undefined || entry === undefined) {
      const suffix = SUFFIXES.find((s) => rest.endsWith(`_${s}`));
      throw new InvalidEnvError(
        variable,
        suffix === undefined
          ? `unknown setting; expected ${prefix}<ALIAS>_<SETTING> with SETTING one of ${Object.keys(SETTINGS).join(', ')}`
          : `no ${prefix}${rest.slice(0, -suffix.length - 1)}_LOCATION is set for this alias`,
      );
    }
    const suffix = rest.slice(alias.length + 1);
    const setting = SETTINGS[suffix] as Setting;
    entry.suffixes.push(suffix);
    const raw = env[variable] as string;
    try {
      setting(entry.config, entry.options, raw);
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      throw new InvalidEnvError(variable, hideSecrets(error.message, raw, env, names), {
        alias: alias.toLowerCase(),
      });
    }
  }

  const result: Record<string, CacheConfig> = {};
  for (const [alias, { config, options, suffixes }] of configs) {
    checkLocation(config.location, suffixes, {
      variables: `${prefix}${alias}_`,
      alias: alias.toLowerCase(),
      hide: (message) => hideSecrets(message, config.location, env, names),
    });
    // Defined, not assigned: an alias `__proto__` must become an entry, not the result's prototype.
    Object.defineProperty(result, alias.toLowerCase(), {
      value: Object.keys(options).length > 0 ? { ...config, options } : config,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}
