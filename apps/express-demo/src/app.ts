import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import session, { type Store } from 'express-session';
import { homePage, loginPage } from './pages.js';

declare module 'express-session' {
  interface SessionData {
    user: string;
    visits: number;
  }
}

/** What the demo app needs from its surroundings; `main.ts` wires these to a caches registry. */
export interface DemoAppOptions {
  /** The session store, e.g. a `SentinelSessionStore`. */
  store: Store;
  /** Where sessions live, shown on every page (pass it with the password masked). */
  location: string;
  /** Asks the sentinels to fail over (the admin button). */
  failover: () => Promise<void>;
  /** `host:port` of the current master, shown on the home page. Default: none shown. */
  currentMaster?: () => Promise<string>;
  /** Secret that signs the session cookie. Default: a fixed demo secret (fine for a local demo only). */
  secret?: string;
}

type Handler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

const saveSession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));

/**
 * Counts a visit and saves before answering: express-session's own save runs after the headers
 * are out, so a failed save there would still show the visitor a count that was never stored.
 */
async function countVisit(req: Request): Promise<number> {
  req.session.visits = (req.session.visits ?? 0) + 1;
  await saveSession(req);
  return req.session.visits;
}

/** The demo: a login form, a page with the user and a visit counter, logout, and a failover button. */
export function createDemoApp(options: DemoAppOptions): Express {
  const app = express();
  const secret = options.secret ?? 'sentinel-kit demo secret';
  app.use(express.urlencoded({ extended: false }));
  app.use(express.json());
  app.use(
    session({
      store: options.store,
      secret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 24 * 3600 * 1000 },
    }),
  );

  const route = (handler: Handler) => (req: Request, res: Response, next: NextFunction) => {
    handler(req, res, next).catch(next);
  };
  const master = async () =>
    options.currentMaster ? options.currentMaster().catch(() => 'unknown') : 'unknown';

  app.get(
    '/',
    route(async (req, res) => {
      const notice = typeof req.query.notice === 'string' ? req.query.notice : undefined;
      const user = req.session.user;
      if (user === undefined) {
        res.type('html').send(loginPage(options.location, notice));
        return;
      }
      const visits = await countVisit(req);
      res.type('html').send(homePage({ user, visits, master: await master() }, options.location, notice));
    }),
  );

  app.get(
    '/api/visit',
    route(async (req, res) => {
      const user = req.session.user;
      if (user === undefined) {
        res.status(401).json({ error: 'not logged in' });
        return;
      }
      res.json({ user, visits: await countVisit(req) });
    }),
  );

  app.post(
    '/login',
    route(async (req, res) => {
      const username = typeof req.body?.username === 'string' ? req.body.username.trim() : '';
      if (username === '' || username.length > 64) {
        res
          .status(400)
          .type('html')
          .send(loginPage(options.location, 'Please enter a name (at most 64 characters).'));
        return;
      }
      // A new id at login, so a session id planted before it is worth nothing after.
      await new Promise<void>((resolve, reject) =>
        req.session.regenerate((err) => (err ? reject(err) : resolve())),
      );
      req.session.user = username;
      req.session.visits = 0;
      await saveSession(req);
      res.redirect(303, '/');
    }),
  );

  app.post(
    '/logout',
    route(async (req, res) => {
      await new Promise<void>((resolve, reject) =>
        req.session.destroy((err) => (err ? reject(err) : resolve())),
      );
      res.clearCookie('connect.sid');
      res.redirect(303, '/');
    }),
  );

  app.post(
    '/admin/failover',
    route(async (req, res) => {
      if (req.session.user === undefined) {
        res.status(401).type('html').send(loginPage(options.location, 'Log in first.'));
        return;
      }
      await options.failover();
      res.redirect(303, `/?notice=${encodeURIComponent('Failover requested. Reload: you stay logged in.')}`);
    }),
  );

  app.use((error: Error & { code?: string }, _req: Request, res: Response, _next: NextFunction) => {
    // Typed sentinel-kit errors mean Redis could not serve now (e.g. mid-failover): ask to retry.
    const status = typeof error.code === 'string' && error.code.startsWith('ERR_') ? 503 : 500;
    if (res.headersSent) return;
    res
      .status(status)
      .type('text')
      .send(`${status === 503 ? 'Session store unavailable, retry' : 'Error'}: ${error.message}`);
  });

  return app;
}
