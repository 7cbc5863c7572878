import { createServer, type Server } from 'node:net';

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('the loopback listener has no port'));
    });
  });
}

/**
 * Asks the kernel for `count` distinct free loopback ports. The listeners stay open until every port
 * is known, so one call never hands out the same port twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(servers.map(listen));
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** Starts tried in all when each fails because one of its ports was taken. */
const PORT_CLASH_ATTEMPTS = 3;

/**
 * Runs `start` again, on the fresh ports it asks for, when it failed because a server could not
 * bind its port: between `freePorts` handing a port out and the server binding it, another process
 * may take it (a listener, or an outgoing connection given it as its source port). The server's log,
 * which a failed start includes in its message, says "Address already in use".
 */
export async function retryOnPortClash<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const clash = error instanceof Error && error.message.includes('Address already in use');
      if (!clash || attempt >= PORT_CLASH_ATTEMPTS) throw error;
    }
  }
}
