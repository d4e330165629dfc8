// The flexible-checksum algorithms S3 accepts (S3 User Guide, "Checking object integrity":
// CRC32, CRC32C, CRC64NVME, SHA1, SHA256), computed with the same code the AWS SDK uses on the
// client side (@aws-sdk/checksums' documented `Checksum` API; its Crc32 runs on zlib's native crc32,
// its Crc32c and Crc64Nvme are table-driven JS) and node:crypto for the SHAs. Values travel as
// base64 of the big-endian digest.
import { createHash } from 'node:crypto';
import { Crc32, Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export const checksumAlgorithms: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** Digest length in bytes: a value that does not decode to this many bytes is malformed. */
export const digestLength: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

/** `x-amz-checksum-crc32` → 'CRC32'; undefined for any other header. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  if (!name.startsWith('x-amz-checksum-')) return undefined;
  const alg = name.slice('x-amz-checksum-'.length).toUpperCase();
  return (checksumAlgorithms as readonly string[]).includes(alg) ? (alg as ChecksumAlgorithm) : undefined;
}

export function headerOfAlgorithm(alg: ChecksumAlgorithm): string {
  return `x-amz-checksum-${alg.toLowerCase()}`;
}

export interface Hasher {
  update(data: Uint8Array): void;
  /** The raw big-endian digest. */
  digest(): Promise<Buffer>;
}

export function createHasher(alg: ChecksumAlgorithm): Hasher {
  switch (alg) {
    case 'SHA1':
    case 'SHA256': {
      const h = createHash(alg === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (d) => void h.update(d), digest: async () => h.digest() };
    }
    default: {
      const c = alg === 'CRC32' ? new Crc32() : alg === 'CRC32C' ? new Crc32c() : new Crc64Nvme();
      return { update: (d) => c.update(d), digest: async () => Buffer.from(await c.digest()) };
    }
  }
}

/** One-shot base64 checksum (tests and small bodies). */
export async function checksumBase64(alg: ChecksumAlgorithm, data: Uint8Array): Promise<string> {
  const h = createHasher(alg);
  h.update(data);
  return (await h.digest()).toString('base64');
}
