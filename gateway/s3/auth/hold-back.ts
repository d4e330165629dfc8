// The one streaming rule every verifier here follows: a body is judged only at its end, and the
// consumer (the sdk's write) commits only when its source ends cleanly. So each verifier passes
// bytes through as they come but always keeps the most recent piece back; at the end it runs its
// check and either releases that piece and ends, or fails the stream with the check's error. A
// consumer therefore never sees the last byte of a body that did not verify, and never sees 'end'.
// A body with no verdict pending (nothing to check) need not hold anything back: `holdBack: false`.
import { Transform, finished, type Readable, type TransformCallback } from 'node:stream';
import { authErrors, S3AuthError } from './errors.js';

export abstract class HoldBackTransform extends Transform {
  #held: Buffer | undefined;
  readonly #holdBack: boolean;

  constructor(holdBack = true) {
    super();
    this.#holdBack = holdBack;
  }

  /** Handles one input chunk; calls `forward` with the bytes to pass on. Throw to fail the stream. */
  protected abstract consume(chunk: Buffer): void;
  /** Runs once the input has ended; throw (or reject) to fail the stream. */
  protected abstract finish(): void | Promise<void>;

  /** Passes bytes on, keeping the latest piece back until `finish` has passed. */
  protected forward(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (!this.#holdBack) {
      this.push(bytes);
      return;
    }
    if (this.#held) this.push(this.#held);
    this.#held = bytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(chunk);
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    let p: void | Promise<void>;
    try {
      p = this.finish();
    } catch (err) {
      this.#held = undefined;
      cb(err as Error);
      return;
    }
    if (p === undefined) {
      // Judged synchronously (no async digest, no trailers to wait for): no promise round trip.
      if (this.#held) this.push(this.#held);
      this.#held = undefined;
      cb();
      return;
    }
    p.then(
      () => {
        if (this.#held) this.push(this.#held);
        this.#held = undefined;
        cb();
      },
      (err: unknown) => {
        this.#held = undefined;
        cb(err as Error);
      },
    );
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    this.#held = undefined;
    cb(err);
  }
}

/**
 * Feeds `source` into `verifier` with backpressure (pipe). A source that errors or closes before its
 * end (the client went away, or sent fewer bytes than it announced) fails the verifier with
 * IncompleteBody. When the verifier fails, pipe unpipes the source but does not destroy it: the
 * request socket stays usable, so the handler can still send its S3 error response (and should then
 * drain or close the request).
 */
export function feed<T extends Transform>(source: Readable, verifier: T): T {
  finished(source, { writable: false }, (err) => {
    if (!err) return;
    verifier.destroy(err instanceof S3AuthError ? err : authErrors.incompleteBody(undefined, { cause: err }));
  });
  source.pipe(verifier);
  return verifier;
}
