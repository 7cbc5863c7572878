import type { INestApplication } from '@nestjs/common';
import { startTopology, type Topology } from '@sentinel-kit/testkit';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApp } from './demo-app.js';

let topo: Topology;
let app: INestApplication;
let url: string;

beforeAll(async () => {
  topo = await startTopology({ replicas: 1, sentinels: 3, password: 'demo-e2e' });
  ({ app, url } = await startDemoApp(topo));
});

afterAll(async () => {
  await app?.close();
  await topo?.stop();
});

describe('nest-demo', () => {
  it('serves /catalog from the cache after the first render (CacheInterceptor on the default alias)', async () => {
    const first = await request(url).get('/catalog').expect(200);
    const second = await request(url).get('/catalog').expect(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toEqual(first.body);
    expect(first.body.render).toBe(1);
  });

  it('keeps the page at dj:1:/catalog in db 0, as the JSON Django would read, for 10 s', async () => {
    await request(url).get('/catalog').expect(200);
    const master = topo.client('master');
    const stored = JSON.parse((await master.get('dj:1:/catalog')) as string);
    expect(stored.items).toHaveLength(2);
    const pttl = await master.pttl('dj:1:/catalog');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(10_000);
  });

  it('counts hits on the hp alias: an INCR-able integer at dj:bi:1:hits in db 1', async () => {
    const a = await request(url).post('/counter/hit').expect(200);
    const b = await request(url).post('/counter/hit').expect(200);
    expect(b.body.hits).toBe(a.body.hits + 1);
    expect((await request(url).get('/counter').expect(200)).body).toEqual({ hits: b.body.hits });
    expect(await topo.client('master', { db: 1 }).get('dj:bi:1:hits')).toBe(String(b.body.hits));
    expect(await topo.client('master').exists('dj:bi:1:hits')).toBe(0);
  });

  it("shows the sentinels' view of the master, its replicas and the quorum", async () => {
    const { body } = await request(url).get('/sentinels').expect(200);
    const master = await topo.master();
    expect(body.masterName).toBe('mymaster');
    expect(body.master.address).toBe(`${master.host}:${master.port}`);
    expect(body.replicas).toHaveLength(1);
    expect(body.replicas[0].flags).toEqual(['slave']);
    expect(body.sentinels).toHaveLength(3);
    expect(body.quorum.ok).toBe(true);
  });

  it('reports health through @nestjs/terminus for both aliases', async () => {
    const { body } = await request(url).get('/health').expect(200);
    const master = await topo.master();
    expect(body.status).toBe('ok');
    for (const alias of ['default', 'hp']) {
      expect(body.info[alias]).toMatchObject({
        status: 'up',
        master: { address: `${master.host}:${master.port}`, role: 'master' },
        replicas: { online: 1, known: 1 },
        quorum: { ok: true },
      });
    }
  });
});
