// A TCP proxy for fault tests: it listens on 127.0.0.1 and forwards every connection to a target, and
// can be told to cut the link — blackhole (bytes are swallowed both ways, connections stay open, as a
// dead switch does) or reset (every connection is destroyed and new ones are refused until healed).
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export type ProxyMode = 'pass' | 'blackhole' | 'reset';

export class TcpProxy {
  readonly #server: Server;
  #target: { host: string; port: number };
  #mode: ProxyMode = 'pass';
  readonly #pairs = new Set<{ a: Socket; b: Socket }>();
  port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
    this.#server = createServer((a) => this.#accept(a));
  }

  static async start(target: string): Promise<TcpProxy> {
    const p = new TcpProxy(splitTarget(target));
    p.#server.listen(0, '127.0.0.1');
    await once(p.#server, 'listening');
    p.port = (p.#server.address() as { port: number }).port;
    return p;
  }

  /** New connections go to `target` from now on (a process restarted on another port); open ones stay. */
  retarget(target: string): void {
    this.#target = splitTarget(target);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get mode(): ProxyMode {
    return this.#mode;
  }

  #accept(a: Socket): void {
    if (this.#mode === 'reset') {
      a.destroy();
      return;
    }
    const b = connect(this.#target.port, this.#target.host);
    // No Nagle on either leg: a proxy must not add the 40 ms of a delayed ACK to small RPCs.
    a.setNoDelay(true);
    b.setNoDelay(true);
    const pair = { a, b };
    this.#pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (this.#mode === 'pass' && !to.destroyed) to.write(chunk);
      });
    forward(a, b);
    forward(b, a);
    const close = () => {
      this.#pairs.delete(pair);
      a.destroy();
      b.destroy();
    };
    a.on('error', close).on('close', close);
    b.on('error', close).on('close', close);
  }

  /**
   * Sets the link's state. 'reset' destroys every open connection; healing from a blackhole does too,
   * since the bytes swallowed meanwhile leave those streams unusable (as after a real outage).
   */
  set(mode: ProxyMode): void {
    const was = this.#mode;
    this.#mode = mode;
    if (mode === 'reset' || (was === 'blackhole' && mode === 'pass')) {
      for (const { a, b } of this.#pairs) {
        a.destroy();
        b.destroy();
      }
      this.#pairs.clear();
    }
  }

  async close(): Promise<void> {
    this.set('reset');
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function splitTarget(target: string): { host: string; port: number } {
  const i = target.lastIndexOf(':');
  return { host: target.slice(0, i), port: Number(target.slice(i + 1)) };
}
