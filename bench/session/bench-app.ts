import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session, { type Store } from 'express-session';

/** One running copy of the benchmark app and the session cookies logged in on it. */
export interface BenchApp {
  url: string;
  cookies: string[];
  close(): Promise<void>;
}

/**
 * The same app for every store: `POST /login` starts a session, `GET /` reads it, counts the visit
 * and saves it (one GET and one SET per request on the store), as a page with a visit counter does.
 */
export async function startBenchApp(store: Store, sessions: number): Promise<BenchApp> {
  const app = express();
  app.use(session({ store, secret: 'bench', resave: false, saveUninitialized: false }));
  app.post('/login', (req, res) => {
    const s = req.session as unknown as { user: string; n: number };
    s.user = 'bench';
    s.n = 0;
    res.status(204).end();
  });
  app.get('/', (req, res) => {
    const s = req.session as unknown as { user?: string; n?: number };
    if (s.user === undefined) {
      res.status(401).end();
      return;
    }
    s.n = (s.n ?? 0) + 1;
    res.json({ n: s.n });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookies: string[] = [];
  for (let i = 0; i < sessions; i++) {
    const response = await fetch(`${url}/login`, { method: 'POST' });
    const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
    if (response.status !== 204 || cookie === undefined)
      throw new Error(`login failed: HTTP ${response.status}`);
    cookies.push(cookie);
  }
  return {
    url,
    cookies,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
