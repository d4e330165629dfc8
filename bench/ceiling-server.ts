// The benchmark's ceiling: the least a server can do to store and serve the same bytes — node:http,
// PUT streamed to a temp file, fsync, rename into place; GET streamed back from disk. It answers the
// same `/v1/fs/content?path=` route as the gateway so the one client code drives both.
// Run as its own process: `node dist/bench/ceiling-server.js --dir <dir> --listen 127.0.0.1:0`; it prints
// `{"address":"host:port"}` as its first stdout line.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { addressOf, parseHostPort } from '../common/net.js';

function fileFor(dir: string, req: IncomingMessage): string | undefined {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/v1/fs/content') return undefined;
  const path = url.searchParams.get('path');
  return path ? join(dir, encodeURIComponent(path)) : undefined;
}

let seq = 0;

async function handle(dir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = fileFor(dir, req);
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  if (req.method === 'PUT') {
    const tmp = `${file}.tmp-${++seq}`;
    try {
      await pipeline(req, createWriteStream(tmp, { highWaterMark: 1 << 20 }));
      // fsync applies to the file, whichever descriptor asks: make the bytes durable before the 204.
      const fh = await open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await rename(tmp, file);
    res.writeHead(204).end();
    return;
  }
  if (req.method === 'GET') {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), res);
    return;
  }
  res.writeHead(405).end();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, def: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1]! : def;
  };
  const dir = arg('--dir', './ceiling-data');
  const { host, port } = parseHostPort(arg('--listen', '127.0.0.1:0'));
  await mkdir(dir, { recursive: true });
  const server = createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, (req, res) => {
    handle(dir, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  process.stdout.write(JSON.stringify({ address: addressOf(server.address()), pid: process.pid }) + '\n');
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`ceiling-server: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
