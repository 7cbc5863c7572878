import { SentinelSessionStore } from '@sentinel-kit/express-session';
import { createDemoApp } from './app.js';
import { SESSION_ALIAS, startDemoBackend } from './demo-backend.js';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);

const backend = await startDemoBackend();
const store = new SentinelSessionStore({ caches: backend.caches, alias: SESSION_ALIAS });
const app = createDemoApp({
  store,
  location: backend.location,
  failover: backend.failover,
  currentMaster: backend.currentMaster,
  secret: process.env.SESSION_SECRET,
});

const server = app.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  console.log(`sentinel-kit express demo: http://${host}:${actualPort}/`);
  console.log(
    `sessions in ${backend.location}${backend.topology ? ' (embedded topology; Ctrl-C stops it)' : ''}`,
  );
});

let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  backend.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
