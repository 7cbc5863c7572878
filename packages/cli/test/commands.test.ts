import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXIT_USAGE, type TopologyReport } from '@sentinel-kit/cli';
import { freePorts, pollUntil, startTopology, type Topology } from '@sentinel-kit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const PASSWORD = 'data-pw-7f3a';
const SENTINEL_PASSWORD = 'sentinel-pw-91c2';
const CREDENTIALS = ['--password', PASSWORD, '--sentinel-password', SENTINEL_PASSWORD];
const cliDir = fileURLToPath(new URL('..', import.meta.url));

const ESC = String.fromCharCode(27);

const noSecrets = (text: string) => {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(SENTINEL_PASSWORD);
};
const oneLineNoStack = (text: string) => {
  expect(text.trimEnd().split('\n')).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at /);
};

describe('sentinel-kit against a real topology', () => {
  let topo: Topology;
  beforeAll(async () => {
    topo = await startTopology({
      replicas: 1,
      sentinels: 3,
      password: PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
    });
    // Sentinels learn a replica's link status from its INFO, refreshed every 10 s: wait for it once.
    await pollUntil(async () => (await runCli(['check', topo.location, ...CREDENTIALS])).code === 0, {
      description: 'the sentinels to see the replica online',
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  });
  afterAll(async () => {
    await topo?.stop();
  });

  it('status prints the master with its verified role, replicas, sentinels, quorum and timeouts', async () => {
    const master = await topo.master();
    const [replica] = await topo.replicas();
    const { code, stdout, stderr } = await runCli(['status', topo.location, ...CREDENTIALS]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`master 127.0.0.1:${master.port}`);
    expect(stdout).toContain('role verified: master');
    expect(stdout).toContain('quorum 2');
    expect(stdout).toMatch(/ckquorum: OK 3 usable Sentinels/);
    expect(stdout).toContain('down-after 1.00 s');
    expect(stdout).toContain('failover-timeout 5.00 s');
    expect(stdout).toContain('Replicas (1/1 online)');
    expect(stdout).toMatch(new RegExp(`127\\.0\\.0\\.1:${replica?.port}\\s+ok\\s+\\d+\\s+\\d`));
    for (const s of topo.sentinels) expect(stdout).toContain(`127.0.0.1:${s.port}`);
    expect(stdout).not.toContain(`${ESC}[`);
    noSecrets(stdout);
  });

  it('status colours its output on a TTY and not when NO_COLOR is set', async () => {
    const tty = await runCli(['status', topo.location, ...CREDENTIALS], { tty: true });
    expect(tty.stdout).toContain(`${ESC}[32mrole verified: master`);
    const noColor = await runCli(['status', topo.location, ...CREDENTIALS], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(noColor.stdout).not.toContain(`${ESC}[`);
  });

  it('status --json gives the report as data, with passwords from REDIS_PASSWORD/SENTINEL_PASSWORD', async () => {
    const master = await topo.master();
    const { code, stdout } = await runCli(['status', topo.location, '--json'], {
      env: { REDIS_PASSWORD: PASSWORD, SENTINEL_PASSWORD },
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as TopologyReport;
    expect(report.master).toMatchObject({
      host: '127.0.0.1',
      port: master.port,
      verified: true,
      role: 'master',
    });
    expect(report.replicas).toHaveLength(1);
    expect(report.replicas[0]).toMatchObject({ linkStatus: 'ok', online: true });
    expect(report.replicas[0]?.lagBytes).toBeGreaterThanOrEqual(0);
    expect(report.sentinels).toHaveLength(3);
    expect(report.sentinels.filter((s) => s.answered)).toHaveLength(1);
    expect(report).toMatchObject({ quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 5000 });
    expect(report.ckquorum.ok).toBe(true);
    noSecrets(stdout);
  });

  it('check exits 0 and says healthy on a healthy topology', async () => {
    const { code, stdout } = await runCli(['check', topo.location, ...CREDENTIALS]);
    expect(code).toBe(0);
    expect(stdout).toBe('healthy\n');
  });

  it('a wrong sentinel password is one line naming sentinelPassword, exit 1, no stack, no password', async () => {
    const result = await runCli(['status', topo.location, '--sentinel-password', 'nope-wrong-pw']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    oneLineNoStack(result.stderr);
    expect(result.stderr).toMatch(/^sentinel-kit: The sentinel 127\.0\.0\.1:\d+ refused the credentials/);
    expect(result.stderr).toContain('sentinelPassword');
    expect(result.stderr).not.toContain('nope-wrong-pw');
  });

  it('a wrong data-node password makes check fail with a line naming the password option', async () => {
    const result = await runCli([
      'check',
      topo.location,
      '--sentinel-password',
      SENTINEL_PASSWORD,
      '--password',
      'bad-data-pw',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /master 127\.0\.0\.1:\d+ cannot be asked its role: The data node .* refused the credentials/,
    );
    expect(result.stdout).toContain('"password"');
    expect(result.stdout).not.toContain('bad-data-pw');
  });

  it('unreachable sentinels are one line listing each sentinel, exit 1', async () => {
    const [a, b] = await freePorts(2);
    const result = await runCli(['status', `mymaster/127.0.0.1:${a},127.0.0.1:${b}/0`, '--timeout', '300']);
    expect(result.code).toBe(1);
    oneLineNoStack(result.stderr);
    expect(result.stderr).toContain(`127.0.0.1:${a}: connect ECONNREFUSED`);
    expect(result.stderr).toContain(`127.0.0.1:${b}: connect ECONNREFUSED`);
    const checked = await runCli(['check', `mymaster/127.0.0.1:${a}/0`]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/All sentinels of master "mymaster" are unreachable/);
  });

  it('an unknown master name lists the sentinels asked', async () => {
    const location = topo.location.replace(/^mymaster\//, 'othermaster/');
    const result = await runCli(['status', location, ...CREDENTIALS]);
    expect(result.code).toBe(1);
    oneLineNoStack(result.stderr);
    expect(result.stderr).toContain('No sentinel monitors a master named "othermaster"');
  });

  it('a bad location or command line is one usage line and exit 2; --debug adds the stack', async () => {
    const bad = await runCli(['status', 'redis+sentinel://user:hunter2@h1:99999/mymaster/0']);
    expect(bad.code).toBe(EXIT_USAGE);
    oneLineNoStack(bad.stderr);
    expect(bad.stderr).toMatch(/^sentinel-kit: Invalid location/);
    expect(bad.stderr).not.toContain('hunter2');

    const standalone = await runCli(['check', 'redis://127.0.0.1:6379/0']);
    expect(standalone.code).toBe(EXIT_USAGE);
    expect(standalone.stderr).toContain('needs a sentinel location');

    const unknown = await runCli(['frobnicate', topo.location]);
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');

    const debug = await runCli(['status', 'mymaster/h1:notaport/0', '--debug']);
    expect(debug.code).toBe(EXIT_USAGE);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('the sentinel-kit bin runs as a process: check exits 0, a bad location exits 2 without a stack', async () => {
    const exec = promisify(execFile);
    const bin = ['exec', 'tsx', 'src/bin.ts'];
    const env = { ...process.env, REDIS_PASSWORD: PASSWORD, SENTINEL_PASSWORD, NO_COLOR: '1' };
    const healthy = await exec('pnpm', [...bin, 'check', topo.location], { cwd: cliDir, env });
    expect(healthy.stdout).toBe('healthy\n');

    const failed = await exec('pnpm', [...bin, 'status', 'mymaster/127.0.0.1:1:2/0'], {
      cwd: cliDir,
      env,
    }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(EXIT_USAGE);
    expect(
      failed?.stderr
        .trimEnd()
        .split('\n')
        .filter((line) => line.startsWith('sentinel-kit:')),
    ).toHaveLength(1);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  });

  it('watch in a real process stops on SIGINT and exits by itself with code 0', async () => {
    const child = spawn(join(cliDir, 'node_modules/.bin/tsx'), ['src/bin.ts', 'watch', topo.location], {
      cwd: cliDir,
      env: { ...process.env, SENTINEL_PASSWORD, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await pollUntil(() => /on 3\/3 sentinels; Ctrl-C to stop/.test(stderr), {
        description: 'watch to subscribe',
        timeoutMs: 20_000,
      });
      child.kill('SIGINT');
      // No process.exit() in the CLI: exiting proves every socket and timer was closed.
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  // Damages the topology, so it runs last.
  it('check exits 1 with one line per problem once the only replica is down', async () => {
    const [replica] = await topo.replicas();
    if (replica === undefined) throw new Error('no replica');
    await topo.stopNode(replica);
    const result = await pollUntil(
      async () => {
        const r = await runCli(['check', topo.location, ...CREDENTIALS]);
        return r.code === 1 ? r : undefined;
      },
      { description: 'check to see the replica down', timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(result.stdout).toBe('no replica online (1 known, none with a live link)\n');
    const json = await runCli(['check', topo.location, '--json', ...CREDENTIALS]);
    expect(JSON.parse(json.stdout)).toEqual({
      healthy: false,
      problems: ['no replica online (1 known, none with a live link)'],
    });

    // Two of three sentinels gone: the last one still answers, but cannot authorize a failover.
    const [, second, third] = topo.sentinels;
    if (second === undefined || third === undefined) throw new Error('three sentinels expected');
    await topo.stopNode(second);
    await topo.stopNode(third);
    const degraded = await pollUntil(
      async () => {
        const r = await runCli(['check', topo.location, ...CREDENTIALS]);
        return r.stdout.includes('quorum:') ? r : undefined;
      },
      { description: 'check to see the quorum lost', timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(degraded.code).toBe(1);
    const lines = degraded.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^quorum: NOQUORUM 1 usable Sentinels/);
    expect(lines[1]).toBe('no replica online (1 known, none with a live link)');
  });
});
