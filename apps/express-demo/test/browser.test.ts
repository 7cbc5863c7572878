import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Caches, createCaches } from '@sentinel-kit/core';
import { SentinelSessionStore } from '@sentinel-kit/express-session';
import { startTopology, type Topology } from '@sentinel-kit/testkit';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDemoApp } from '../src/app.js';

/** Debian's chromium, installed by `scripts/setup.sh --test`; playwright downloads nothing. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let topo: Topology;
let caches: Caches;
let server: Server;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: run "bash scripts/setup.sh --test" (or apt-get install -y chromium).`,
    );
  }
  topo = await startTopology({ replicas: 1, sentinels: 3, password: 'browser-demo' });
  caches = createCaches({
    default: { location: topo.location, keyPrefix: 'dj', options: { password: topo.password } },
  });
  const admin = caches.connector('default').sentinels();
  const app = createDemoApp({
    store: new SentinelSessionStore({ caches }),
    location: topo.location,
    failover: () => admin.failover(),
    currentMaster: async () => {
      const { host, port } = await admin.masterAddress();
      return `${host}:${port}`;
    },
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  server?.close();
  await caches?.close();
  await topo?.stop();
});

it('a visitor logs in through the form, presses the failover button, reloads and is still logged in', async () => {
  const page = await browser.newPage();
  await page.goto(baseUrl);
  await page.fill('#username', 'grace');
  await page.click('#login');
  await expect.poll(() => page.textContent('#user')).toBe('grace');
  expect(await page.textContent('#visits')).toBe('1');
  const masterBefore = await page.textContent('#master');

  const switched = topo.waitForSwitch({ timeoutMs: 30_000 });
  await page.click('#failover');
  await expect.poll(() => page.textContent('#notice')).toContain('Failover requested');
  const { host, port } = await switched;

  await page.reload();
  expect(await page.textContent('#user')).toBe('grace');
  expect(Number(await page.textContent('#visits'))).toBeGreaterThanOrEqual(3);
  await expect
    .poll(async () => {
      await page.reload();
      return page.textContent('#master');
    })
    .toBe(`${host}:${port}`);
  expect(`${host}:${port}`).not.toBe(masterBefore);
  expect(await page.textContent('#user')).toBe('grace');
}, 60_000);
