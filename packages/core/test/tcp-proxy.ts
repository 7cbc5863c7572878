import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * What the proxy does with traffic now: `forward` both ways; `holdReplies` forwards commands but
 * leaves the node's replies unread (the node applies a command and its answer never arrives);
 * `blackhole` reads nothing either way and answers no new connection, keeping every socket open —
 * a partition that drops packets and never closes anything. Held bytes stay in the kernel's
 * buffers and flow again on `forward`, as after a healed partition.
 */
export type ProxyMode = 'forward' | 'holdReplies' | 'blackhole';

interface Pair {
  client: Socket;
  upstream: Socket;
}

/** A TCP proxy on a free loopback port in front of one node, for tests of a misbehaving network. */
export class TcpProxy {
  private mode: ProxyMode = 'forward';
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Starts a proxy to `target`, forwarding. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get host(): string {
    return '127.0.0.1';
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy not listening');
    return address.port;
  }

  /** Client connections open through the proxy now. */
  get connections(): number {
    return this.pairs.size;
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    for (const pair of this.pairs) this.apply(pair);
  }

  /** Destroys every connection through the proxy, as a reset would; new ones follow the mode. */
  cut(): void {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = tcpConnect(this.target.port, this.target.host);
    const pair = { client, upstream };
    this.pairs.add(pair);
    // Plain 'data' handlers rather than pipe(): pipe() resumes a source on 'drain', undoing a hold.
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => client.write(chunk));
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    this.apply(pair);
  }

  private apply({ client, upstream }: Pair): void {
    if (this.mode === 'blackhole') client.pause();
    else client.resume();
    if (this.mode === 'forward') upstream.resume();
    else upstream.pause();
  }
}
