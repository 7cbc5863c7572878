import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

export const COMMANDS = ['status', 'watch', 'check', 'failover'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** A parsed command line. Passwords are kept here only until the sentinel and data clients get them. */
export interface CliArgs {
  command: CommandName | 'help';
  location: string;
  /** Machine-readable output on stdout. @default false */
  json: boolean;
  /** Print stack traces of failures. @default false */
  debug: boolean;
  /** `true`/`false` from `--color`/`--no-color`; undefined = colour on a TTY unless NO_COLOR is set. */
  color: boolean | undefined;
  password?: string;
  username?: string;
  sentinelPassword?: string;
  sentinelUsername?: string;
  /** `--timeout`: milliseconds each sentinel (and data node) gets to answer. @default 1000 */
  timeoutMs: number;
  /** `watch --once`: exit after the first failover's summary. @default false */
  once: boolean;
  /**
   * `failover --wait`: milliseconds to wait for the switch; default the master's failover-timeout
   * (sentinel), {@link CLUSTER_FAILOVER_WAIT_MS} (cluster).
   */
  waitMs?: number;
  /** `failover --master` on a cluster: the master to fail over, `host:port` or its index by first slot. @default none */
  master?: string;
  /** `watch --interval` on a cluster: milliseconds between two `CLUSTER NODES` polls. @default 100 */
  intervalMs: number;
}

/** Milliseconds `failover` waits for a cluster replica's promotion when `--wait` is not given. */
export const CLUSTER_FAILOVER_WAIT_MS = 10_000;

export const USAGE = `Usage: sentinel-kit <command> <location> [options]

Commands:
  status <location>    master (role verified), replicas, sentinels, quorum and timeouts
  watch <location>     live feed of sentinel events, with a summary of each failover
  check <location>     exit 0 when healthy, 1 with one line per problem
  failover <location>  ask the sentinels for a graceful failover and report the new master

<location>: mymaster/host:26379,host:26379/0  or  redis+sentinel://[user:pass@]host:26379,…/mymaster/0
            or a Redis Cluster: redis+cluster://[user:pass@]host:7000,host:7001,…

On a cluster: status shows each master's slots and replicas and the slots not covered; check fails
on uncovered slots, a master without a replica online, or a failing node; watch prints the changes
of CLUSTER NODES (fail?, fail, promotions, slots moved) with a summary per failover; failover runs
CLUSTER FAILOVER on a replica of --master and waits for its promotion.

Options:
  --password <pw>            data nodes' password (else $REDIS_PASSWORD, else the location's)
  --username <user>          data nodes' ACL user (else $REDIS_USERNAME)
  --sentinel-password <pw>   sentinels' password (else $SENTINEL_PASSWORD)
  --sentinel-username <user> sentinels' ACL user (else $SENTINEL_USERNAME)
  --timeout <ms>             milliseconds each sentinel gets to answer (default 1000)
  --json                     machine-readable output
  --once                     watch: exit after the first failover ends
  --wait <ms>                failover: how long to wait for the switch (default: failover-timeout;
                             10000 on a cluster)
  --master <host:port|i>     failover on a cluster: the master to fail over (i = index by first slot)
  --interval <ms>            watch on a cluster: milliseconds between CLUSTER NODES polls (default 100)
  --color / --no-color       force colour on or off (default: on a TTY, unless NO_COLOR is set)
  --debug                    print stack traces
  -h, --help                 this text
`;

const positiveInt = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive whole number of milliseconds, got "${value}"`);
  return n;
};

/** Reads argv (without `node` and the script) and the environment's credentials. */
export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    // node:util's messages never quote option values, so no password can leak through them.
    throw new UsageError(`${(err as Error).message}. Run "sentinel-kit --help" for usage`);
  }
  const { values, positionals } = parsed;
  const [command, location, ...extra] = positionals;
  if (values.help || command === undefined || command === 'help') {
    return { ...defaults(), command: 'help' };
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`Unknown command "${command}". Expected one of: ${COMMANDS.join(', ')}`);
  }
  if (location === undefined)
    throw new UsageError(
      `"${command}" needs a <location>, e.g. mymaster/127.0.0.1:26379/0 or redis+cluster://127.0.0.1:7000`,
    );
  if (extra.length > 0)
    throw new UsageError(`Unexpected argument after the location (${extra.length} extra)`);
  const color = values['no-color'] ? false : values.color ? true : undefined;
  return {
    command: command as CommandName,
    location,
    json: values.json ?? false,
    debug: values.debug ?? false,
    color,
    password: values.password ?? env.REDIS_PASSWORD,
    username: values.username ?? env.REDIS_USERNAME,
    sentinelPassword: values['sentinel-password'] ?? env.SENTINEL_PASSWORD,
    sentinelUsername: values['sentinel-username'] ?? env.SENTINEL_USERNAME,
    timeoutMs: positiveInt('--timeout', values.timeout) ?? 1000,
    once: values.once ?? false,
    waitMs: positiveInt('--wait', values.wait),
    master: values.master,
    intervalMs: positiveInt('--interval', values.interval) ?? 100,
  };
}

const defaults = (): Omit<CliArgs, 'command'> => ({
  location: '',
  json: false,
  debug: false,
  color: undefined,
  timeoutMs: 1000,
  once: false,
  intervalMs: 100,
});

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      password: { type: 'string' },
      username: { type: 'string' },
      'sentinel-password': { type: 'string' },
      'sentinel-username': { type: 'string' },
      timeout: { type: 'string' },
      wait: { type: 'string' },
      master: { type: 'string' },
      interval: { type: 'string' },
      json: { type: 'boolean' },
      once: { type: 'boolean' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
