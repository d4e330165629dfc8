// `<data>/credentials.json`: the API key and the S3 root key pair `godfs up` generated once (or was
// given), and where the cluster listens, so a restart keeps the same keys and client commands run next
// to `./data` need no flags.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export interface Credentials {
  apiKey: string;
  /** Master gRPC address (what `--master` takes). */
  master?: string;
  /** Base URL of the gateway (`/v1` and S3). */
  endpoint?: string;
  /** The S3 root access key pair and the region the gateway reports. */
  s3?: S3RootKey;
}

export interface S3RootKey {
  accessKeyId: string;
  secretKey: string;
  region?: string;
}

export const CREDENTIALS_FILE = 'credentials.json';

export function generateApiKey(): string {
  return 'gdfs_' + randomBytes(24).toString('base64url');
}

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An S3 root key pair shaped like AWS's: a 20-character A–Z0–9 id (prefix GK) and a 40-character secret. */
export function generateS3Key(): { accessKeyId: string; secretKey: string } {
  const id = [...randomBytes(18)].map((b) => KEY_ID_ALPHABET[b % KEY_ID_ALPHABET.length]).join('');
  return { accessKeyId: 'GK' + id, secretKey: randomBytes(30).toString('base64').replace(/\+/g, 'x').replace(/\//g, 'y') };
}

function parseS3(v: unknown): S3RootKey | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { accessKeyId, secretKey, region } = v as Partial<S3RootKey>;
  if (typeof accessKeyId !== 'string' || accessKeyId === '' || typeof secretKey !== 'string' || secretKey === '') return undefined;
  return { accessKeyId, secretKey, ...(typeof region === 'string' && region !== '' ? { region } : {}) };
}

function parseCredentials(text: string, file: string): Credentials {
  const v = JSON.parse(text) as Partial<Credentials>;
  if (typeof v.apiKey !== 'string' || v.apiKey === '') throw new Error(`${file} has no apiKey`);
  const s3 = parseS3(v.s3);
  return {
    apiKey: v.apiKey,
    ...(typeof v.master === 'string' ? { master: v.master } : {}),
    ...(typeof v.endpoint === 'string' ? { endpoint: v.endpoint } : {}),
    ...(s3 ? { s3 } : {}),
  };
}

export async function readCredentials(dataDir: string): Promise<Credentials | undefined> {
  const file = join(dataDir, CREDENTIALS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseCredentials(text, file);
}

/** Synchronous variant for client commands: a missing or unreadable file is simply no credentials. */
export function readCredentialsFileSync(file: string): Credentials | undefined {
  try {
    return parseCredentials(readFileSync(file, 'utf8'), file);
  } catch {
    return undefined;
  }
}

/** Writes the file atomically (temp file, fsync, rename) with mode 0600. */
export async function writeCredentials(dataDir: string, creds: Credentials): Promise<void> {
  const file = join(dataDir, CREDENTIALS_FILE);
  const tmp = `${file}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(creds, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

/** The key in effect: the one given, else the persisted one, else a new one. */
export async function resolveApiKey(dataDir: string, given: string | undefined): Promise<{ apiKey: string; generated: boolean }> {
  if (given) return { apiKey: given, generated: false };
  const existing = await readCredentials(dataDir);
  if (existing) return { apiKey: existing.apiKey, generated: false };
  return { apiKey: generateApiKey(), generated: true };
}

/** The S3 root pair in effect: the one given (both halves), else the persisted one, else a new one. */
export async function resolveS3Key(dataDir: string, given: { accessKeyId?: string; secretKey?: string }): Promise<{ accessKeyId: string; secretKey: string; generated: boolean }> {
  if (given.accessKeyId && given.secretKey) return { accessKeyId: given.accessKeyId, secretKey: given.secretKey, generated: false };
  const existing = (await readCredentials(dataDir))?.s3;
  if (existing) return { accessKeyId: existing.accessKeyId, secretKey: existing.secretKey, generated: false };
  return { ...generateS3Key(), generated: true };
}
