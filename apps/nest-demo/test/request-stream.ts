import { pollUntil } from '@sentinel-kit/testkit';
import request from 'supertest';

/** What a stream of demo requests saw. */
export interface StreamRecord {
  /** Counter values returned by `POST /counter/hit`, in the order the responses came. */
  hits: number[];
  /** Every HTTP status, counter and catalog alike. */
  statuses: number[];
  /** Requests that got no HTTP answer at all. */
  failures: string[];
  /** When each counted hit was sent and answered (ms since epoch). */
  spans: { start: number; end: number }[];
}

/**
 * `workers` loops, each alternating `POST /counter/hit` and `GET /catalog` as fast as the app
 * answers, until `stop()`. `until(n)` polls until at least `n` hits were counted.
 */
export function startRequestStream(url: string, workers = 3) {
  const record: StreamRecord = { hits: [], statuses: [], failures: [], spans: [] };
  let running = true;
  const send = async (req: request.Test) => {
    try {
      const res = await req;
      record.statuses.push(res.status);
      return res;
    } catch (err) {
      record.failures.push(err instanceof Error ? err.message : String(err));
      return undefined;
    }
  };
  const loop = async () => {
    while (running) {
      const start = Date.now();
      const hit = await send(request(url).post('/counter/hit'));
      if (hit?.status === 200) {
        record.hits.push(hit.body.hits as number);
        record.spans.push({ start, end: Date.now() });
      }
      await send(request(url).get('/catalog'));
    }
  };
  const loops = Array.from({ length: workers }, loop);
  return {
    record,
    until: (count: number, timeoutMs = 30_000) =>
      pollUntil(() => record.hits.length >= count, { description: `${count} counted hits`, timeoutMs }),
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return record;
    },
  };
}
