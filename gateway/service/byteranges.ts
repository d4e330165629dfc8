// multipart/byteranges bodies (RFC 9110 §14.6): one part per requested range, each streamed from the
// sdk in turn. The total length is known up front so the response carries a Content-Length.
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { LengthGuard } from './byte-streams.js';
import { formatContentRange, rangeLength, type ByteRange } from './http-conditions.js';

export interface ByterangesFraming {
  boundary: string;
  /** The response Content-Type. */
  contentType: string;
  /** Exact body length: part headers, part bodies and the closing delimiter. */
  contentLength: number;
  /** The header block written before each part, in range order. */
  heads: Buffer[];
  tail: Buffer;
}

export function byterangesFraming(ranges: ByteRange[], size: number, partContentType: string, boundary = randomBytes(12).toString('hex')): ByterangesFraming {
  // The first delimiter needs no leading CRLF (RFC 2046 §5.1.1: the CRLF belongs to the delimiter,
  // and a body may begin with the dash-boundary directly).
  const heads = ranges.map((r, i) =>
    Buffer.from(`${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${partContentType}\r\nContent-Range: ${formatContentRange(r, size)}\r\n\r\n`),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const contentLength = heads.reduce((n, h) => n + h.length, 0) + ranges.reduce((n, r) => n + rangeLength(r), 0) + tail.length;
  return { boundary, contentType: `multipart/byteranges; boundary=${boundary}`, contentLength, heads, tail };
}

/**
 * Streams the parts one after another. `openPart(i)` opens range i (an sdk readRange); it is called
 * only when the previous part is fully written, so one range at a time is in flight and backpressure
 * from the socket reaches the sdk. If any part fails or runs short the stream errors, which makes the
 * server destroy the connection instead of sending a truncated body.
 */
export function byterangesStream(framing: ByterangesFraming, ranges: ByteRange[], openPart: (index: number) => Promise<Readable>, onBytes?: (n: number) => void): Readable {
  async function* body(): AsyncGenerator<Buffer> {
    for (let i = 0; i < ranges.length; i++) {
      const head = framing.heads[i]!;
      onBytes?.(head.length);
      yield head;
      const source = await openPart(i);
      const guard = new LengthGuard(rangeLength(ranges[i]!), onBytes);
      source.on('error', (err) => guard.destroy(err));
      source.pipe(guard);
      try {
        for await (const chunk of guard) yield chunk as Buffer;
      } finally {
        // Reached on success, on error and when the client goes away (the generator is returned).
        source.destroy();
      }
    }
    onBytes?.(framing.tail.length);
    yield framing.tail;
  }
  return Readable.from(body(), { objectMode: false });
}
