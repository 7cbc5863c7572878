import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLocation, InvalidLocationError, type Location, parseLocation } from '../src/index.js';

describe('parseLocation: valid forms', () => {
  const cases: [string, Location][] = [
    [
      'mymaster/10.0.0.1:26379,10.0.0.2:26380,10.0.0.3:26381/0',
      {
        kind: 'sentinel',
        masterName: 'mymaster',
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26380 },
          { host: '10.0.0.3', port: 26381 },
        ],
        db: 0,
        tls: false,
      },
    ],
    [
      'mymaster/sentinel-a,[::1]:26380,[fe80::1]/5',
      {
        kind: 'sentinel',
        masterName: 'mymaster',
        sentinels: [
          { host: 'sentinel-a', port: 26379 },
          { host: '::1', port: 26380 },
          { host: 'fe80::1', port: 26379 },
        ],
        db: 5,
        tls: false,
      },
    ],
    [
      'mymaster/127.0.0.1:26379',
      {
        kind: 'sentinel',
        masterName: 'mymaster',
        sentinels: [{ host: '127.0.0.1', port: 26379 }],
        db: 0,
        tls: false,
      },
    ],
    [
      'redis+sentinel://app:p%40ss%3Aw%2Frd@h1:26379,h2/mymaster/1',
      {
        kind: 'sentinel',
        masterName: 'mymaster',
        sentinels: [
          { host: 'h1', port: 26379 },
          { host: 'h2', port: 26379 },
        ],
        db: 1,
        tls: false,
        username: 'app',
        password: 'p@ss:w/rd',
      },
    ],
    [
      'rediss+sentinel://:secret@[2001:db8::7]:5000/cache',
      {
        kind: 'sentinel',
        masterName: 'cache',
        sentinels: [{ host: '2001:db8::7', port: 5000 }],
        db: 0,
        tls: true,
        password: 'secret',
      },
    ],
    ['redis://localhost', { kind: 'standalone', host: 'localhost', port: 6379, db: 0, tls: false }],
    [
      'rediss://user@cache.example.com:6380/15',
      { kind: 'standalone', host: 'cache.example.com', port: 6380, db: 15, tls: true, username: 'user' },
    ],
    [
      'redis://:pw@[::1]:7000/2',
      { kind: 'standalone', host: '::1', port: 7000, db: 2, tls: false, password: 'pw' },
    ],
    ['unix:///run/redis.sock?db=3', { kind: 'standalone', path: '/run/redis.sock', db: 3, tls: false }],
    [
      'redis+cluster://app:p%40ss@h1:7000,h2:7001',
      {
        kind: 'cluster',
        nodes: [
          { host: 'h1', port: 7000 },
          { host: 'h2', port: 7001 },
        ],
        db: 0,
        tls: false,
        username: 'app',
        password: 'p@ss',
      },
    ],
    [
      'rediss+cluster://:pw@[::1]:7000, 10.0.0.2/0',
      {
        kind: 'cluster',
        nodes: [
          { host: '::1', port: 7000 },
          { host: '10.0.0.2', port: 6379 },
        ],
        db: 0,
        tls: true,
        password: 'pw',
      },
    ],
    [
      'REDIS+CLUSTER://node-a:7000/',
      { kind: 'cluster', nodes: [{ host: 'node-a', port: 7000 }], db: 0, tls: false },
    ],
    [
      'unix://u:p@/run/redis.sock',
      { kind: 'standalone', path: '/run/redis.sock', db: 0, tls: false, username: 'u', password: 'p' },
    ],
  ];

  it.each(cases)('parses %s', (input, expected) => {
    expect(parseLocation(input)).toEqual(expected);
  });

  it.each(cases)('formats %s back to the same fields', (input) => {
    const parsed = parseLocation(input);
    expect(parseLocation(formatLocation(parsed, { maskPassword: false }))).toEqual(parsed);
  });

  it('masks the password when formatting by default', () => {
    const location = parseLocation('redis+sentinel://app:hunter2@h1/mymaster/0');
    expect(formatLocation(location)).toBe('redis+sentinel://app:***@h1:26379/mymaster/0');
    expect(formatLocation(location, { maskPassword: false })).toBe(
      'redis+sentinel://app:hunter2@h1:26379/mymaster/0',
    );
  });
});

describe('parseLocation: invalid input', () => {
  const cases: [input: string, part: string, problem: RegExp][] = [
    ['/127.0.0.1:26379/0', 'master name', /missing/],
    ['mymaster', 'sentinel list', /missing/],
    ['mymaster//0', 'sentinel list', /empty/],
    ['mymaster/a:1,,b:2/0', 'sentinel list', /entry 2 is empty/],
    ['mymaster/127.0.0.1:http/0', 'port', /not a whole number/],
    ['mymaster/127.0.0.1:70000/0', 'port', /outside 1–65535/],
    ['mymaster/127.0.0.1:0/0', 'port', /outside/],
    ['mymaster/127.0.0.1:26379/x', 'db', /not a whole number/],
    ['mymaster/127.0.0.1:26379/-1', 'db', /not a whole number/],
    ['mymaster/127.0.0.1:26379/0/extra', 'trailing text', /"\/extra" follows the db/],
    ['mymaster/::1/0', 'host', /must be in brackets/],
    ['mymaster/[::1/0', 'host', /bracketed IPv6/],
    ['mymaster/[not-v6]:1/0', 'host', /bracketed IPv6/],
    ['mymaster/bad host:1/0', 'host', /not a host name/],
    ['my master/h:1/0', 'master name', /white space/],
    ['http://h:6379/0', 'scheme', /"http" is not one of/],
    ['redis+sentinel://h1:26379', 'master name', /missing/],
    ['redis+sentinel://h1:26379/m/0/x', 'trailing text', /follows the db/],
    ['redis://h1,h2/0', 'host', /use redis\+sentinel.*redis\+cluster/],
    ['redis+cluster://h1:7000,h2:7001/3', 'db', /db 3: a Redis Cluster has db 0 alone/],
    ['redis+cluster://h1:7000/0/x', 'trailing text', /follows the db/],
    ['redis+cluster://', 'node list', /empty/],
    ['rediss+cluster://h1:7000,,h2/0', 'node list', /entry 2 is empty/],
    ['redis+cluster://h1:99999', 'port', /outside 1–65535/],
    ['redis+cluster://h1:7000?x=1', 'trailing text', /options/],
    ['redis+cluster://h1:7000/x', 'db', /not a whole number/],
    ['redis://h:6379/0?timeout=5', 'trailing text', /options/],
    ['redis://:%zz@h/0', 'credentials', /malformed %-escape/],
    ['unix://relative.sock', 'host', /absolute/],
    ['unix:///run/r.sock?database=1', 'trailing text', /db=<db>/],
  ];

  it.each(cases)('rejects %s (%s)', (input, part, problem) => {
    let error: unknown;
    try {
      parseLocation(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidLocationError);
    const e = error as InvalidLocationError;
    expect(e.code).toBe('ERR_INVALID_LOCATION');
    expect(e.name).toBe('InvalidLocationError');
    expect(e.part).toBe(part);
    expect(e.message).toMatch(problem);
    expect(e.message).toContain(`: ${part}: `);
    expect(e.message).toMatch(/Expected /);
  });

  it('quotes the input with its password masked', () => {
    expect(() => parseLocation('redis+sentinel://admin:TopSecret@h1:99999/m/0')).toThrow(
      'Invalid location "redis+sentinel://admin:***@h1:99999/m/0": port: 99999 is outside 1–65535',
    );
  });

  it('masks a password holding "@" and "/" whole', () => {
    expect(() => parseLocation('redis://:pa/ss@w@rd@h:x/0')).toThrow(/"redis:\/\/:\*\*\*@h:x\/0"/);
  });

  it('names the db of a cluster location that is not 0, in the message and as the part', () => {
    expect(() => parseLocation('redis+cluster://:s3cret@h1:7000/15')).toThrow(
      'Invalid location "redis+cluster://:***@h1:7000/15": db: db 15: a Redis Cluster has db 0 alone',
    );
  });

  it('rejects a value that is not a string with a typed error', () => {
    expect(() => parseLocation(undefined as unknown as string)).toThrow(InvalidLocationError);
  });
});

describe('parseLocation: properties', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
  const hostName = fc.array(label, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
  const host = fc.oneof(hostName, fc.ipV4(), fc.ipV6());
  const hostPort = fc.record({ host, port: fc.integer({ min: 1, max: 65535 }) });
  const secret = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }).map((s) => `PW${s}`);
  const credentials = fc.record(
    { username: fc.string({ minLength: 1, maxLength: 8 }), password: secret },
    { requiredKeys: [] },
  );
  const db = fc.integer({ min: 0, max: 64 });
  const masterName = fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,16}$/);
  const location: fc.Arbitrary<Location> = fc.oneof(
    fc
      .tuple(masterName, fc.array(hostPort, { minLength: 1, maxLength: 4 }), db, fc.boolean(), credentials)
      .map(([name, sentinels, d, tls, creds]) => ({
        kind: 'sentinel' as const,
        masterName: name,
        sentinels,
        db: d,
        tls,
        ...creds,
      })),
    fc
      .tuple(hostPort, db, fc.boolean(), credentials)
      .map(([hp, d, tls, creds]) => ({ kind: 'standalone' as const, ...hp, db: d, tls, ...creds })),
    fc
      .tuple(fc.stringMatching(/^(\/[A-Za-z0-9._-]{1,8}){1,3}$/), db, credentials)
      .map(([path, d, creds]) => ({
        kind: 'standalone' as const,
        path,
        db: d,
        tls: false as const,
        ...creds,
      })),
    fc
      .tuple(fc.array(hostPort, { minLength: 1, maxLength: 6 }), fc.boolean(), credentials)
      .map(([nodes, tls, creds]) => ({ kind: 'cluster' as const, nodes, db: 0 as const, tls, ...creds })),
  );

  const lower = (hosts: { host: string; port: number }[]) =>
    hosts.map((h) => ({ ...h, host: h.host.toLowerCase() }));
  const normalize = (l: Location): Location => {
    if (l.kind === 'sentinel') return { ...l, sentinels: lower(l.sentinels) };
    if (l.kind === 'cluster') return { ...l, nodes: lower(l.nodes) };
    return 'host' in l ? { ...l, host: l.host.toLowerCase() } : l;
  };

  it('formatLocation → parseLocation round-trips every valid location', () => {
    fc.assert(
      fc.property(location, (l) => {
        const back = parseLocation(formatLocation(l, { maskPassword: false }));
        expect(normalize(back)).toEqual(normalize(l));
      }),
      { numRuns: 500 },
    );
  });

  it('any string either parses or throws InvalidLocationError, never another exception', () => {
    const noise = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ maxLength: 60, unit: 'grapheme' }),
      fc.stringMatching(
        /^(redis|rediss|unix|redis\+sentinel|redis\+cluster|rediss\+cluster)?:?\/{0,3}[a-z0-9:@/,.[\]%?= -]{0,40}$/,
      ),
    );
    fc.assert(
      fc.property(noise, (input) => {
        try {
          parseLocation(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidLocationError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a cluster location with any db but 0 fails naming that db, whatever else it holds', () => {
    const cluster = location.filter((l) => l.kind === 'cluster');
    fc.assert(
      fc.property(cluster, fc.integer({ min: 1, max: 2_147_483_647 }), (l, d) => {
        const input = formatLocation(l, { maskPassword: false }).replace(/\/0$/, `/${d}`);
        let error: unknown;
        try {
          parseLocation(input);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(InvalidLocationError);
        expect((error as InvalidLocationError).part).toBe('db');
        expect((error as Error).message).toContain(`db ${d}:`);
      }),
      { numRuns: 300 },
    );
  });

  it('never shows the password of a broken location', () => {
    const breakage = fc.constantFrom('/0/x', ':port', '?x=1', ',,', '/[::1', '/-1');
    fc.assert(
      fc.property(location, breakage, secret, (l, broken, password) => {
        const input = formatLocation({ ...l, password }, { maskPassword: false }) + broken;
        try {
          parseLocation(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidLocationError);
          const message = (error as Error).message;
          expect(message).not.toContain(encodeURIComponent(password));
          expect(message).not.toContain(password);
          expect(JSON.stringify(error)).not.toContain(encodeURIComponent(password));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('blanks in a location string', () => {
  it('ignores blanks around the whole string, as a value read from a secrets file has them', () => {
    expect(parseLocation('mymaster/127.0.0.1:26379,127.0.0.1:26380/0\n')).toEqual(
      parseLocation('mymaster/127.0.0.1:26379,127.0.0.1:26380/0'),
    );
    expect(parseLocation('  redis://h:6379/2 \t')).toMatchObject({ kind: 'standalone', host: 'h', db: 2 });
  });

  it('ignores blanks around each sentinel separator, in both forms', () => {
    const sentinels = [
      { host: '127.0.0.1', port: 26379 },
      { host: '127.0.0.1', port: 26380 },
    ];
    expect(parseLocation('mymaster/127.0.0.1:26379, 127.0.0.1:26380/0')).toMatchObject({ sentinels });
    expect(parseLocation('redis+sentinel://127.0.0.1:26379 , 127.0.0.1:26380/mymaster/0')).toMatchObject({
      sentinels,
    });
    expect(parseLocation('redis+cluster://127.0.0.1:26379 ,127.0.0.1:26380 ')).toMatchObject({
      nodes: sentinels,
    });
  });

  it('says a blank string is empty, not a bad master name', () => {
    for (const blank of ['', '   ', '\n']) {
      expect(() => parseLocation(blank)).toThrow(/it is empty/);
    }
  });
});
