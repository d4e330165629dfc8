// Small stream helpers the gateway puts between the sdk and the socket. They pass chunks by reference
// (no copies) so they cost a function call per chunk, not a buffer.
import { Transform, type TransformCallback } from 'node:stream';
import { GodfsError } from '../../common/errors.js';

/**
 * Passes exactly `expected` bytes through and errors otherwise. A response that declared
 * Content-Length N must carry N bytes; if the source ends short or runs long the error makes fastify
 * destroy the socket, so the client sees a broken transfer rather than silently wrong bytes.
 */
export class LengthGuard extends Transform {
  #seen = 0;
  readonly #expected: number;
  readonly #onBytes: ((n: number) => void) | undefined;

  constructor(expected: number, onBytes?: (n: number) => void) {
    super();
    this.#expected = expected;
    this.#onBytes = onBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.#expected) {
      cb(new GodfsError('internal', `read returned more than the ${this.#expected} bytes expected`));
      return;
    }
    this.#onBytes?.(chunk.length);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.#seen !== this.#expected) cb(new GodfsError('internal', `read ended after ${this.#seen} of ${this.#expected} bytes`));
    else cb();
  }
}

/** Counts the bytes flowing through (request bodies, for the bytes-in metric). */
export class ByteCounter extends Transform {
  readonly #onBytes: (n: number) => void;
  constructor(onBytes: (n: number) => void) {
    super();
    this.#onBytes = onBytes;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#onBytes(chunk.length);
    cb(null, chunk);
  }
}
