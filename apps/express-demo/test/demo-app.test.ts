import { type Caches, createCaches } from '@sentinel-kit/core';
import { SentinelSessionStore } from '@sentinel-kit/express-session';
import { startTopology, type Topology } from '@sentinel-kit/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp } from '../src/app.js';

let topo: Topology;
let caches: Caches;
let app: Express;
let master: ReturnType<Topology['client']>;
let failovers = 0;
const warnings: string[] = [];

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3 });
  caches = createCaches({ default: { location: topo.location, keyPrefix: 'dj' } });
  const logger = { warn: (message: string) => warnings.push(message) };
  app = createDemoApp({
    store: new SentinelSessionStore({ caches, logger }),
    location: topo.location,
    failover: async () => {
      failovers += 1;
    },
    currentMaster: async () => 'test-master:1',
  });
  master = topo.client('master');
});

afterAll(async () => {
  await caches?.close();
  await topo?.stop();
});

const sidOf = (cookie: string) =>
  decodeURIComponent(cookie.split(';')[0]?.split('=')[1] ?? '')
    .slice(2)
    .split('.')[0];

async function loggedIn(name: string) {
  const agent = request.agent(app);
  const login = await agent.post('/login').type('form').send({ username: name });
  expect(login.status).toBe(303);
  const cookie = login.headers['set-cookie']?.[0] as string;
  return { agent, sid: sidOf(cookie) as string };
}

describe('express demo', () => {
  it('shows the login form to a visitor without a session, and stores nothing for them', async () => {
    const before = await master.dbsize();
    const page = await request(app).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="login"');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(await master.dbsize()).toBe(before);
  });

  it('logs in, shows who is logged in and counts visits, with the session in dj:1:sess:<sid>', async () => {
    const { agent, sid } = await loggedIn('ada');
    const first = await agent.get('/');
    expect(first.text).toContain('<strong id="user">ada</strong>');
    expect(first.text).toContain('<strong id="visits">1</strong>');
    expect(first.text).toContain('test-master:1');
    expect((await agent.get('/')).text).toContain('<strong id="visits">2</strong>');
    expect((await agent.get('/api/visit')).body).toEqual({ user: 'ada', visits: 3 });
    const stored = JSON.parse((await master.get(`dj:1:sess:${sid}`)) as string);
    expect(stored).toMatchObject({ user: 'ada', visits: 3 });
    const ttl = await master.ttl(`dj:1:sess:${sid}`);
    expect(ttl).toBeGreaterThan(86_300);
    expect(ttl).toBeLessThanOrEqual(86_400);
  });

  it('escapes the user name in the page', async () => {
    const { agent } = await loggedIn('<script>x</script>');
    expect((await agent.get('/')).text).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it('gives a new session id at login, so an id from before login is worthless after', async () => {
    const agent = request.agent(app);
    const first = await agent.post('/login').type('form').send({ username: 'x' });
    const second = await agent.post('/login').type('form').send({ username: 'y' });
    const [a, b] = [first, second].map((r) => sidOf(r.headers['set-cookie']?.[0] as string));
    expect(a).not.toBe(b);
    expect(await master.exists(`dj:1:sess:${a}`)).toBe(0);
  });

  it('refuses an empty name with 400 and the form', async () => {
    const response = await request(app).post('/login').type('form').send({ username: '  ' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Please enter a name');
  });

  it('logs out: the session key is gone and the login form is back', async () => {
    const { agent, sid } = await loggedIn('bob');
    const out = await agent.post('/logout');
    expect(out.status).toBe(303);
    expect(await master.exists(`dj:1:sess:${sid}`)).toBe(0);
    expect((await agent.get('/')).text).toContain('id="login"');
    expect((await agent.get('/api/visit')).status).toBe(401);
  });

  it('answers a session whose stored bytes are garbage with a fresh login form, not a 500', async () => {
    const { agent, sid } = await loggedIn('mallory');
    await master.set(`dj:1:sess:${sid}`, '{"cookie": broken');
    const page = await agent.get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="login"');
    expect(warnings.some((w) => w.includes(`dj:1:sess:${sid}`))).toBe(true);
  });

  it('the failover button asks for a failover and redirects home with a notice; only when logged in', async () => {
    expect((await request(app).post('/admin/failover')).status).toBe(401);
    expect(failovers).toBe(0);
    const { agent } = await loggedIn('carol');
    const response = await agent.post('/admin/failover');
    expect(response.status).toBe(303);
    expect(response.headers.location).toContain('notice=');
    expect(failovers).toBe(1);
    expect((await agent.get(response.headers.location as string)).text).toContain('Failover requested');
  });
});
