import { isIPv4, isIPv6 } from 'node:net';
import { InvalidLocationError, quoteInput } from '../errors.js';

/** A host and port, IPv6 hosts without brackets (`'::1'`). */
export interface HostPort {
  host: string;
  port: number;
}

interface Credentials {
  username?: string;
  password?: string;
}

/**
 * Where a cache lives: a sentinel-monitored master, one TCP server, one unix socket, or a Redis
 * Cluster reached through its seed `nodes` (any of them; the rest is discovered). A cluster has db 0
 * alone.
 */
export type Location =
  | ({ kind: 'sentinel'; masterName: string; sentinels: HostPort[]; db: number; tls: boolean } & Credentials)
  | ({ kind: 'standalone'; host: string; port: number; db: number; tls: boolean } & Credentials)
  | ({ kind: 'standalone'; path: string; db: number; tls: false } & Credentials)
  | ({ kind: 'cluster'; nodes: HostPort[]; db: 0; tls: boolean } & Credentials);

/** A location with one master: sentinels' or one server's (every kind but `cluster`). */
export type OneMasterLocation = Exclude<Location, { kind: 'cluster' }>;

/** The kinds of {@link Location}. */
export type LocationKind = Location['kind'];

/** The part of a location string an {@link InvalidLocationError} blames. */
export type LocationPart =
  | 'scheme'
  | 'credentials'
  | 'master name'
  | 'sentinel list'
  | 'node list'
  | 'host'
  | 'port'
  | 'db'
  | 'trailing text';

export const DEFAULT_SENTINEL_PORT = 26379;
export const DEFAULT_REDIS_PORT = 6379;

const EXPECTED = {
  django: '<master name>/<host>:<port>[,<host>:<port>…]/<db>, e.g. mymaster/10.0.0.1:26379,10.0.0.2:26379/0',
  sentinel: (scheme: string) =>
    `${scheme}://[user:password@]<host>:<port>[,<host>:<port>…]/<master name>/<db>`,
  redis: (scheme: string) => `${scheme}://[user:password@]<host>:<port>/<db>`,
  cluster: (scheme: string) => `${scheme}://[user:password@]<host>:<port>[,<host>:<port>…][/0]`,
  unix: 'unix://[user:password@]/path/to/redis.sock?db=<db>',
  any: 'mymaster/host:26379,host:26379/0, redis+sentinel://…, rediss+sentinel://…, redis+cluster://…, rediss+cluster://…, redis://…, rediss://… or unix://…',
};

const SCHEMES = [
  'redis',
  'rediss',
  'redis+sentinel',
  'rediss+sentinel',
  'redis+cluster',
  'rediss+cluster',
  'unix',
] as const;

/**
 * Replaces the password of any `user:password@` in `input` with `***`. Everything up to the last
 * `@` counts as credentials, so a password that itself holds `@`, `/` or `:` is masked whole.
 */
export function maskLocation(input: string): string {
  const at = input.lastIndexOf('@');
  if (at < 0) return input;
  const schemeEnd = input.indexOf('://');
  const start = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
  const colon = input.indexOf(':', start);
  if (colon < 0 || colon > at) return input;
  return `${input.slice(0, colon + 1)}***${input.slice(at)}`;
}

const hasControlOrSpace = (text: string) => /\s/.test(text) || [...text].some((c) => c.charCodeAt(0) < 32);

/**
 * Parsing helpers that fail with the input masked, the part to blame and the form expected.
 * Callers annotate their instance (`const p: Parser`): TypeScript only narrows after a `never`
 * method call on an explicitly typed reference.
 */
class Parser {
  constructor(
    private readonly input: string,
    private readonly expected: string,
  ) {}

  fail(part: LocationPart, problem: string): never {
    const where = `Invalid location ${quoteInput(maskLocation(this.input))}: ${part}`;
    throw new InvalidLocationError(
      { problem: where, detail: problem, fix: `Expected ${this.expected}` },
      part,
    );
  }

  int(text: string, part: 'port' | 'db', min: number, max: number): number {
    if (!/^\d{1,10}$/.test(text)) this.fail(part, `${quoteInput(text)} is not a whole number`);
    const value = Number(text);
    if (value < min || value > max) this.fail(part, `${value} is outside ${min}–${max}`);
    return value;
  }

  db(text: string | undefined): number {
    return text === undefined || text === '' ? 0 : this.int(text, 'db', 0, 2_147_483_647);
  }

  host(text: string): string {
    if (text === '') this.fail('host', 'it is empty');
    if (isIPv6(text)) this.fail('host', `IPv6 address ${quoteInput(text)} must be in brackets, as [${text}]`);
    if (isIPv4(text) || /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(text)) return text;
    this.fail('host', `${quoteInput(text)} is not a host name, an IPv4 address or a bracketed IPv6 address`);
  }

  hostPort(text: string, defaultPort: number): HostPort {
    if (text.startsWith('[')) {
      const end = text.indexOf(']');
      const host = text.slice(1, end);
      if (end < 0 || !isIPv6(host)) this.fail('host', `${quoteInput(text)} is not a bracketed IPv6 address`);
      const after = text.slice(end + 1);
      if (after === '') return { host, port: defaultPort };
      if (!after.startsWith(':')) this.fail('host', `${quoteInput(after)} follows the address`);
      return { host, port: this.int(after.slice(1), 'port', 1, 65535) };
    }
    const colon = text.indexOf(':');
    if (colon < 0 || text.indexOf(':', colon + 1) >= 0) return { host: this.host(text), port: defaultPort };
    return { host: this.host(text.slice(0, colon)), port: this.int(text.slice(colon + 1), 'port', 1, 65535) };
  }

  hostList(text: string, part: 'sentinel list' | 'node list', defaultPort: number): HostPort[] {
    if (text === '') this.fail(part, 'it is empty');
    // Blanks around a separator are a matter of layout ("h1:26379, h2:26379"), not of the host.
    return text.split(',').map((raw, i) => {
      const entry = raw.trim();
      if (entry === '') this.fail(part, `entry ${i + 1} is empty`);
      return this.hostPort(entry, defaultPort);
    });
  }

  sentinelList(text: string): HostPort[] {
    return this.hostList(text, 'sentinel list', DEFAULT_SENTINEL_PORT);
  }

  /** A cluster's db: 0 alone, since Redis Cluster has no other (`SELECT` fails on it). */
  clusterDb(text: string | undefined): 0 {
    const db = this.db(text);
    if (db !== 0) this.fail('db', `db ${db}: a Redis Cluster has db 0 alone; drop "/${db}" or write "/0"`);
    return 0;
  }

  masterName(text: string | undefined): string {
    if (text === undefined || text === '') this.fail('master name', 'it is missing');
    if (hasControlOrSpace(text)) this.fail('master name', 'it contains white space or a control character');
    return text;
  }

  decode(text: string, what: string): string {
    try {
      return decodeURIComponent(text);
    } catch {
      return this.fail('credentials', `the ${what} has a malformed %-escape`);
    }
  }

  credentials(userinfo: string | undefined): Credentials {
    if (userinfo === undefined) return {};
    const colon = userinfo.indexOf(':');
    const username = this.decode(colon < 0 ? userinfo : userinfo.slice(0, colon), 'user name');
    const result: Credentials = {};
    if (username !== '') result.username = username;
    if (colon >= 0) result.password = this.decode(userinfo.slice(colon + 1), 'password');
    return result;
  }
}

function parseDjango(input: string): Location {
  const p: Parser = new Parser(input, EXPECTED.django);
  const [name, hosts, db, ...rest] = input.split('/');
  if (rest.length > 0) p.fail('trailing text', `${quoteInput(`/${rest.join('/')}`)} follows the db`);
  const masterName = p.masterName(name);
  if (hosts === undefined) p.fail('sentinel list', 'it is missing');
  const sentinels = p.sentinelList(hosts);
  return { kind: 'sentinel', masterName, sentinels, db: p.db(db), tls: false };
}

/** Splits `scheme://[userinfo@]rest` the way {@link maskLocation} does: userinfo ends at the last `@`. */
function splitAuthority(afterScheme: string): { userinfo: string | undefined; rest: string } {
  const at = afterScheme.lastIndexOf('@');
  return at < 0
    ? { userinfo: undefined, rest: afterScheme }
    : { userinfo: afterScheme.slice(0, at), rest: afterScheme.slice(at + 1) };
}

type Scheme = (typeof SCHEMES)[number];

function expectedFor(scheme: Scheme): string {
  if (scheme === 'unix') return EXPECTED.unix;
  if (scheme.endsWith('+sentinel')) return EXPECTED.sentinel(scheme);
  return scheme.endsWith('+cluster') ? EXPECTED.cluster(scheme) : EXPECTED.redis(scheme);
}

function parseUrl(input: string, scheme: Scheme, afterScheme: string): Location {
  const sentinel = scheme.endsWith('+sentinel');
  const p: Parser = new Parser(input, expectedFor(scheme));
  const { userinfo, rest } = splitAuthority(afterScheme);
  const credentials = p.credentials(userinfo);
  const tls = scheme.startsWith('rediss');

  if (scheme === 'unix') {
    const query = rest.indexOf('?');
    const path = query < 0 ? rest : rest.slice(0, query);
    if (!path.startsWith('/') || path.length < 2) p.fail('host', 'the socket path must be absolute');
    let db = 0;
    if (query >= 0) {
      const match = /^db=(\d*)$/.exec(rest.slice(query + 1));
      if (!match) p.fail('trailing text', `${quoteInput(rest.slice(query))} is not "?db=<db>"`);
      db = p.db(match[1]);
    }
    return { kind: 'standalone', path, db, tls: false, ...credentials };
  }

  if (rest.includes('?'))
    p.fail('trailing text', `${quoteInput(rest.slice(rest.indexOf('?')))}: put options in "options"`);
  const [hosts = '', ...path] = rest.split('/');
  if (sentinel) {
    const sentinels = p.sentinelList(hosts);
    const [name, db, ...extra] = path;
    if (extra.length > 0) p.fail('trailing text', `${quoteInput(`/${extra.join('/')}`)} follows the db`);
    const masterName = p.masterName(name === undefined ? undefined : p.decode(name, 'master name'));
    return { kind: 'sentinel', masterName, sentinels, db: p.db(db), tls, ...credentials };
  }
  const [db, ...extra] = path;
  if (extra.length > 0) p.fail('trailing text', `${quoteInput(`/${extra.join('/')}`)} follows the db`);
  if (scheme.endsWith('+cluster')) {
    const nodes = p.hostList(hosts, 'node list', DEFAULT_REDIS_PORT);
    return { kind: 'cluster', nodes, db: p.clusterDb(db), tls, ...credentials };
  }
  if (hosts.includes(','))
    p.fail(
      'host',
      `${scheme}:// takes one host; use redis+sentinel:// for a sentinel list, redis+cluster:// for cluster nodes`,
    );
  const { host, port } = p.hostPort(hosts, DEFAULT_REDIS_PORT);
  return { kind: 'standalone', host, port, db: p.db(db), tls, ...credentials };
}

/**
 * Parses a location string: the django-redis-sentinel form `mymaster/h1:26379,h2:26379/0`,
 * `redis+sentinel://` / `rediss+sentinel://` URLs, `redis+cluster://` / `rediss+cluster://` (seed
 * nodes of a Redis Cluster, db 0 alone), `redis://`, `rediss://` or `unix://`. Missing ports are
 * 26379 (sentinels) and 6379 (servers and cluster nodes); a missing db is 0. URL credentials are
 * percent-decoded and belong to the data nodes. Blanks around the whole string and around each `,`
 * are ignored (a value from a secrets file often ends in a newline); a blank string is an
 * {@link InvalidLocationError} saying the location is empty, and so is anything else that does not parse.
 */
export function parseLocation(input: string): Location {
  if (typeof input !== 'string') {
    const kind = input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input;
    const problem = `Invalid location (a ${kind}, not a string): scheme`;
    throw new InvalidLocationError(
      { problem, detail: 'a location is a string', fix: `Expected ${EXPECTED.any}` },
      'scheme',
    );
  }
  // A value read from a secrets file or an env file often ends in a newline.
  const trimmed = input.trim();
  if (trimmed === '') {
    throw new InvalidLocationError(
      { problem: 'Invalid location: it is empty', fix: `Expected ${EXPECTED.any}` },
      'scheme',
    );
  }
  return parseTrimmed(trimmed);
}

function parseTrimmed(input: string): Location {
  const schemeEnd = input.indexOf('://');
  if (schemeEnd < 0) return parseDjango(input);
  const scheme = input.slice(0, schemeEnd).toLowerCase();
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    new Parser(input, EXPECTED.any).fail(
      'scheme',
      `${quoteInput(scheme)} is not one of ${SCHEMES.join(', ')}`,
    );
  }
  return parseUrl(input, scheme as Scheme, input.slice(schemeEnd + 3));
}

/**
 * A `location` option: a string is parsed, a `Location` (from `parseLocation`) taken as it is, and
 * anything else (a number, null, a plain object) is an {@link InvalidLocationError}.
 */
export function toLocation(input: string | Location): Location {
  if (
    typeof input === 'object' &&
    input !== null &&
    (input.kind === 'sentinel' || input.kind === 'standalone' || input.kind === 'cluster')
  ) {
    return input;
  }
  return parseLocation(input as string);
}

const formatHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** Options of {@link formatLocation}. */
export interface FormatLocationOptions {
  /** Write the password as `***`. Default true: formatted locations are usually for logs. */
  maskPassword?: boolean;
}

/**
 * The URL form of a location (`redis+sentinel://…`, `redis+cluster://…`, `redis://…`, `unix://…`). With
 * `maskPassword: false`, {@link parseLocation} of the result gives back the same fields.
 */
export function formatLocation(location: Location, options: FormatLocationOptions = {}): string {
  const { maskPassword = true } = options;
  let userinfo = '';
  if (location.username !== undefined || location.password !== undefined) {
    userinfo = encodeURIComponent(location.username ?? '');
    if (location.password !== undefined) {
      userinfo += `:${maskPassword ? '***' : encodeURIComponent(location.password)}`;
    }
    userinfo += '@';
  }
  const s = location.tls ? 's' : '';
  const list = (hosts: HostPort[]) => hosts.map((h) => `${formatHost(h.host)}:${h.port}`).join(',');
  if (location.kind === 'sentinel') {
    const hosts = list(location.sentinels);
    return `redis${s}+sentinel://${userinfo}${hosts}/${encodeURIComponent(location.masterName)}/${location.db}`;
  }
  if (location.kind === 'cluster') return `redis${s}+cluster://${userinfo}${list(location.nodes)}/0`;
  if ('path' in location) return `unix://${userinfo}${location.path}?db=${location.db}`;
  return `redis${s}://${userinfo}${formatHost(location.host)}:${location.port}/${location.db}`;
}
