// Decoder for `Content-Encoding: aws-chunked` bodies (S3 API Reference, "Signature Calculations for
// the Authorization Header: Transferring Payload in Multiple Chunks" and "… Including Trailing
// Headers"). The wire format:
//
//   <hex size>[;chunk-signature=<64 hex>]\r\n <size bytes> \r\n     (repeated)
//   0[;chunk-signature=<64 hex>]\r\n                                 (the final, empty chunk)
//   [<name>:<value>\r\n]* [x-amz-trailer-signature:<64 hex>\r\n]     (trailer modes)
//   \r\n
//
// Signed chunks chain: chunk n's signature is HMAC(kSigning, "AWS4-HMAC-SHA256-PAYLOAD" \n date \n
// scope \n signature(n-1) \n sha256("") \n sha256(chunk n)), seeded by the request's signature; the
// trailer's is HMAC(kSigning, "AWS4-HMAC-SHA256-TRAILER" \n date \n scope \n final chunk's
// signature \n sha256(trailer lines, each "name:value\n")).
//
// Chunk data is streamed through as it arrives, hashed incrementally, never buffered: a chunk may be
// as large as a whole part (aws-sdk-go v2 sends a known-length body as one chunk), so a decoder that
// held a chunk until its signature checked out would need that much memory per upload. Bytes of a
// chunk whose signature later fails have then been passed on — which is safe because the stream
// fails before its last piece and its end (hold-back.ts), so nothing is committed.
//
// The parser is not a stream itself: it runs inside the one Transform that verifies a body
// (body-verifier.ts), which also hashes the decoded bytes for the flexible checksum on the way.
import { createHash, type Hash } from 'node:crypto';
import { authErrors } from './errors.js';
import { EMPTY_SHA256, sha256Hex, signaturesEqual, signHex } from './signing-key.js';

export interface ChunkSigning {
  seedSignature: string;
  signingKey: Buffer;
  scope: string;
  datetime: string;
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: the trailer carries a signature too. */
  trailer: boolean;
}

export interface AwsChunkedOptions {
  /** Undefined for STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
  signing?: ChunkSigning;
  /** x-amz-decoded-content-length, when the client sent it. */
  decodedLength?: number;
  /** Trailer names announced in x-amz-trailer (lower case); each must arrive. */
  expectedTrailers: string[];
}

const MAX_LINE = 4096; // a signed size line is ~90 bytes; a trailer line ~100
const MAX_TRAILER_BYTES = 16 * 1024;
const MAX_TRAILERS = 32;
const HEX_SIZE = /^[0-9a-fA-F]{1,13}$/; // ≤ 2^52: exact as a JS number

type State = 'size' | 'data' | 'data-crlf' | 'trailer' | 'done';

/** Decodes aws-chunked framing: `consume` each piece of the wire as it arrives, then `finish` once. Errors are thrown. */
export class AwsChunkedParser {
  readonly #o: AwsChunkedOptions;
  #state: State = 'size';
  #line: Buffer[] = [];
  #lineLength = 0;
  #remaining = 0;
  #crlf = 0;
  #hash: Hash | undefined;
  #chunkSignature = '';
  #previousSignature: string;
  #total = 0;
  #trailers: Array<[string, string]> = [];
  #trailerBytes = 0;
  #trailerSignature: string | undefined;

  constructor(o: AwsChunkedOptions) {
    this.#o = o;
    this.#previousSignature = o.signing?.seedSignature ?? '';
  }

  /** Parses one piece of the wire, handing each run of object bytes to `forward` (by reference). */
  consume(chunk: Buffer, forward: (bytes: Buffer) => void): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.#state) {
        case 'size':
        case 'trailer': {
          const nl = chunk.indexOf(0x0a, i);
          const end = nl < 0 ? chunk.length : nl;
          this.#line.push(chunk.subarray(i, end));
          this.#lineLength += end - i;
          if (this.#lineLength > MAX_LINE) throw malformed('a chunk header or trailer line is too long');
          if (nl < 0) return;
          i = nl + 1;
          const line = Buffer.concat(this.#line, this.#lineLength);
          this.#line = [];
          this.#lineLength = 0;
          if (line[line.length - 1] !== 0x0d) throw malformed('a line does not end with CRLF');
          const text = line.subarray(0, line.length - 1).toString('latin1');
          if (this.#state === 'size') this.#sizeLine(text);
          else this.#trailerLine(text);
          break;
        }
        case 'data': {
          const n = Math.min(this.#remaining, chunk.length - i);
          const piece = chunk.subarray(i, i + n);
          this.#hash?.update(piece);
          this.#total += n;
          if (this.#o.decodedLength !== undefined && this.#total > this.#o.decodedLength) {
            throw authErrors.invalidRequest('The aws-chunked body is longer than x-amz-decoded-content-length.');
          }
          forward(piece);
          this.#remaining -= n;
          i += n;
          if (this.#remaining === 0) {
            this.#state = 'data-crlf';
            this.#crlf = 0;
          }
          break;
        }
        case 'data-crlf': {
          const want = this.#crlf === 0 ? 0x0d : 0x0a;
          if (chunk[i] !== want) throw malformed('chunk data is not followed by CRLF (the chunk is longer than its size line says)');
          i++;
          if (++this.#crlf === 2) {
            this.#verifyChunk(this.#hash ? this.#hash.digest('hex') : '');
            this.#state = 'size';
          }
          break;
        }
        case 'done': {
          // Tolerate stray line ends after the terminating blank line; anything else is not aws-chunked.
          const b = chunk[i]!;
          if (b !== 0x0d && b !== 0x0a) throw malformed('there is data after the end of the aws-chunked body');
          i++;
          break;
        }
      }
    }
  }

  #sizeLine(text: string): void {
    const [sizeText = '', ...extensions] = text.split(';');
    const size = sizeText.trim();
    if (!HEX_SIZE.test(size)) throw malformed(`"${text.slice(0, 40)}" is not a chunk size line`);
    if (this.#o.signing) {
      const sig = extensions.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
      if (sig === undefined || !/^[0-9a-fA-F]{64}$/.test(sig)) throw malformed('a signed chunk has no chunk-signature');
      this.#chunkSignature = sig.toLowerCase();
    }
    const n = parseInt(size, 16);
    if (n === 0) {
      this.#verifyChunk(EMPTY_SHA256);
      this.#state = 'trailer';
      return;
    }
    this.#remaining = n;
    this.#hash = this.#o.signing ? createHash('sha256') : undefined;
    this.#state = 'data';
  }

  #verifyChunk(chunkSha256: string): void {
    const s = this.#o.signing;
    if (!s) return;
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', s.datetime, s.scope, this.#previousSignature, EMPTY_SHA256, chunkSha256].join('\n');
    if (!signaturesEqual(signHex(s.signingKey, sts), this.#chunkSignature)) {
      throw authErrors.signatureMismatch({ details: { StringToSign: sts, SignatureProvided: this.#chunkSignature } });
    }
    this.#previousSignature = this.#chunkSignature;
  }

  #trailerLine(text: string): void {
    if (text === '') {
      this.#state = 'done';
      return;
    }
    this.#trailerBytes += text.length + 2;
    if (this.#trailerBytes > MAX_TRAILER_BYTES || this.#trailers.length >= MAX_TRAILERS) throw malformed('the trailer is too large');
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformed(`trailer line "${text.slice(0, 40)}" is not name:value`);
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') this.#trailerSignature = value.toLowerCase();
    else this.#trailers.push([name, value]);
  }

  /**
   * Checks the end of the body (complete framing, announced trailers, the trailer signature,
   * x-amz-decoded-content-length) and returns the trailers (lower-case names,
   * x-amz-trailer-signature removed).
   */
  finish(): Record<string, string> {
    if (this.#state === 'trailer' && this.#lineLength > 0) {
      // The final line arrived without its CRLF; take it (some encoders end right after the value).
      const text = Buffer.concat(this.#line, this.#lineLength).toString('latin1').replace(/\r$/, '');
      this.#line = [];
      this.#lineLength = 0;
      this.#trailerLine(text);
    }
    if (this.#state !== 'done' && this.#state !== 'trailer') {
      throw authErrors.incompleteBody('The aws-chunked body ended in the middle of a chunk.');
    }
    const names = new Set(this.#trailers.map(([n]) => n));
    const missing = this.#o.expectedTrailers.filter((n) => !names.has(n));
    const signedTrailer = this.#o.signing?.trailer === true;
    if (this.#state === 'trailer' && (missing.length > 0 || (signedTrailer && this.#trailerSignature === undefined))) {
      // EOF inside the trailer section with announced trailers still to come: the body was cut short.
      throw authErrors.incompleteBody('The aws-chunked body ended before its trailing headers.');
    }
    if (missing.length > 0) throw authErrors.invalidRequest(`The trailing header ${missing.join(', ')} announced in x-amz-trailer was not sent.`);
    if (signedTrailer) this.#verifyTrailer();
    if (this.#o.decodedLength !== undefined && this.#total < this.#o.decodedLength) {
      throw authErrors.incompleteBody(
        `You did not provide the number of bytes specified by x-amz-decoded-content-length (${this.#o.decodedLength}; got ${this.#total}).`,
      );
    }
    // Trailers count only where the mode has them; a signed, trailer-less body's trailers are unsigned noise.
    const keep = this.#o.signing === undefined || signedTrailer;
    return keep ? Object.fromEntries(this.#trailers) : {};
  }

  #verifyTrailer(): void {
    const s = this.#o.signing!;
    if (this.#trailerSignature === undefined) throw authErrors.signatureMismatch();
    const canonical = this.#trailers.map(([n, v]) => `${n}:${v}\n`).join('');
    const sts = ['AWS4-HMAC-SHA256-TRAILER', s.datetime, s.scope, this.#previousSignature, sha256Hex(canonical)].join('\n');
    if (!signaturesEqual(signHex(s.signingKey, sts), this.#trailerSignature)) {
      throw authErrors.signatureMismatch({ details: { StringToSign: sts, SignatureProvided: this.#trailerSignature } });
    }
  }
}

function malformed(why: string) {
  return authErrors.invalidRequest(`The aws-chunked body is malformed: ${why}.`);
}
