// Helpers for the chunkserver tests: temp dirs, standalone servers, and a raw HTTP client that exposes
// what the protocol puts on the wire (status, headers, trailers), so the tests check the protocol
// itself rather than the sdk's reading of it.
import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE_MARKER } from '../common/chunk-format.js';
import { parseHostPort } from '../common/net.js';
import { startChunkserver, type ChunkserverHandle, type ChunkserverOptions } from '../cluster/chunkserver/server.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export class TempDirs {
  #dirs: string[] = [];
  async make(prefix = 'godfs-cs-test-'): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), prefix));
    this.#dirs.push(d);
    return d;
  }
  async cleanup(): Promise<void> {
    await Promise.all(this.#dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** Starts chunkservers on temp dirs and 127.0.0.1 ephemeral ports; stop() closes them all. */
export class Servers {
  readonly dirs = new TempDirs();
  readonly all: ChunkserverHandle[] = [];
  async start(opts: Partial<ChunkserverOptions> = {}): Promise<ChunkserverHandle> {
    const h = await startChunkserver({ dataDir: opts.dataDir ?? (await this.dirs.make()), listen: '127.0.0.1:0', ...opts });
    this.all.push(h);
    return h;
  }
  async stop(): Promise<void> {
    await Promise.all(this.all.splice(0).map((h) => h.close()));
    await this.dirs.cleanup();
  }
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A whole body, or pieces sent one by one with backpressure (chunked unless content-length is set). */
  body?: Buffer | AsyncIterable<Buffer>;
}

export async function http(addr: string, r: RawRequest): Promise<RawResponse> {
  const { host, port } = parseHostPort(addr);
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request({ host, port, method: r.method, path: r.path, headers: r.headers ?? {}, agent: false });
    req.once('error', reject);
    req.once('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.once('error', reject);
      res.once('end', () => {
        const body = Buffer.concat(parts);
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body, json });
      });
    });
    if (r.body === undefined) req.end();
    else if (Buffer.isBuffer(r.body)) req.end(r.body);
    else {
      const src = r.body;
      void (async () => {
        try {
          for await (const piece of src) {
            if (!req.write(piece)) await new Promise((ok) => req.once('drain', ok));
          }
          req.end();
        } catch (err) {
          req.destroy(err as Error);
        }
      })();
    }
  });
}

export function putChunk(addr: string, id: number, version: number, body: Buffer | AsyncIterable<Buffer>, o: { apiKey?: string; chain?: string[]; headers?: Record<string, string> } = {}) {
  return http(addr, {
    method: 'PUT',
    path: `/chunks/${id}?version=${version}`,
    headers: {
      ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}),
      ...(o.chain ? { 'x-godfs-chain': o.chain.join(',') } : {}),
      ...(Buffer.isBuffer(body) ? { 'content-length': String(body.length) } : {}),
      ...o.headers,
    },
    body,
  });
}

export function getChunk(addr: string, id: number, o: { apiKey?: string; offset?: number; length?: number } = {}) {
  const q = new URLSearchParams();
  if (o.offset !== undefined) q.set('offset', String(o.offset));
  if (o.length !== undefined) q.set('length', String(o.length));
  const qs = q.toString();
  return http(addr, { method: 'GET', path: `/chunks/${id}${qs ? `?${qs}` : ''}`, headers: o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {} });
}

/** Every file under dir (recursive), relative paths. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    let ents;
    try {
      ents = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      if (e.isDirectory()) await walk(join(d, e.name), join(rel, e.name));
      else out.push(join(rel, e.name));
    }
  };
  await walk(dir, '');
  return out.sort();
}

/** Files in a chunk directory (recursive) other than the node's NODE marker: the stored chunks. */
export async function chunkFilesUnder(chunksDir: string): Promise<string[]> {
  return (await filesUnder(chunksDir)).filter((f) => f !== NODE_MARKER);
}

export async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(b);
  return Buffer.concat(parts);
}

export async function* pieces(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

/** Flips bits of one byte of a file in place (simulated media corruption). */
export async function flipByte(file: string, at: number): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, at);
    b[0]! ^= 0x41;
    await fh.write(b, 0, 1, at);
  } finally {
    await fh.close();
  }
}
