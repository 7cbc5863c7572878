import type { INestApplication } from '@nestjs/common';
import { startTopology, type Topology } from '@sentinel-kit/testkit';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoApp } from './demo-app.js';
import { startRequestStream } from './request-stream.js';

let topo: Topology | undefined;
let app: INestApplication | undefined;

afterEach(async () => {
  await app?.close();
  await topo?.stop();
  app = undefined;
  topo = undefined;
});

const triggers = {
  'kill -9 of the master': (t: Topology) => t.killMaster(),
  'SENTINEL FAILOVER': (t: Topology) => t.failover(),
};

describe('nest-demo across a failover', () => {
  for (const [name, trigger] of Object.entries(triggers)) {
    it(`${name} in a stream of requests: no 5xx, no lost or repeated counts`, {
      timeout: 90_000,
    }, async () => {
      topo = await startTopology({ replicas: 1, sentinels: 3, downAfterMs: 1000 });
      const started = await startDemoApp(topo);
      app = started.app;
      const url = started.url;
      const before = await topo.master();

      const stream = startRequestStream(url, 3);
      await stream.until(30);
      const switched = topo.waitForSwitch({ timeoutMs: 30_000 });
      const triggeredAt = Date.now();
      await trigger(topo);
      const to = await switched;
      const atSwitch = stream.record.hits.length;
      await stream.until(atSwitch + 30);
      const { hits, statuses, failures, spans } = await stream.stop();

      expect(`${to.host}:${to.port}`).not.toBe(`${before.host}:${before.port}`);
      // Some hits were in flight between the trigger and the switch: the stream really straddled
      // the failover. (Not "across to.at": that is when the testkit's own subscriber heard the
      // switch, which can trail the app's connector by more than the ~20 ms it takes to resume.)
      expect(spans.some(({ start, end }) => start < to.at && end > triggeredAt)).toBe(true);
      expect(failures).toEqual([]);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      // Every acknowledged hit counted exactly once, before and after the switch.
      expect([...hits].sort((a, b) => a - b)).toEqual(Array.from({ length: hits.length }, (_, i) => i + 1));
      expect((await request(url).get('/counter').expect(200)).body).toEqual({ hits: hits.length });

      const view = await request(url).get('/sentinels').expect(200);
      expect(view.body.master.address).toBe(`${to.host}:${to.port}`);
      const health = await request(url).get('/health').expect(200);
      expect(health.body.info.hp.master).toEqual({ address: `${to.host}:${to.port}`, role: 'master' });
    });
  }
});
