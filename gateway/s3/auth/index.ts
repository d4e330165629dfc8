// The S3 dialect's authentication and body-integrity layer: SigV4 (header and presigned), the
// aws-chunked streaming payloads, flexible checksums and Content-MD5, and presigned URL minting.
// The S3 handlers code against exactly this surface; everything else in this folder is internal.
//
// How a handler uses it, for a request with a body:
//   const auth = await verifyRequest(req, lookup);                // throws S3AuthError; undefined = anonymous
//   const { stream: body, result } = verifyBody(raw, auth.payload, req.headers);
//   await sdk.write(path, body);                                  // commits only on a clean end
//   const { checksum } = await result;                            // the checksum to store
// verifyBody does in one stream stage what decodeBody followed by checksumStream do in two.
export type { AuthRequest, AuthResult, KeyLookup, PayloadMode, S3Credentials, VerifyOptions } from './types.js';
export { S3AuthError, type S3AuthCode } from './errors.js';
export { verifyRequest } from './verify-request.js';
export { decodeBody } from './decode-body.js';
export { verifyBody, type VerifiedResult } from './body-verifier.js';
export { checksumStream, type ChecksumResult } from './checksum-stream.js';
export { presignUrl, type PresignOptions } from './presign-url.js';
export type { ChecksumAlgorithm } from './checksums.js';
