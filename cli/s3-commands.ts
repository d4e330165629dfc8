// The S3 side of the CLI: `godfs presign` mints presigned S3 URLs (query SigV4, computed locally), and
// `godfs admin keys create|list|revoke` manages the access keys kept in master metadata. Registered by
// program.ts after the `admin` group exists.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { GodfsError } from '../common/errors.js';
import type { AccessKeyInfo } from '../sdk/types.js';
import { addClientOptions, withClient, type ClientFlags } from './client-options.js';
import { readCredentialsFileSync } from './credentials.js';
import { isoTime, table } from './format.js';
import { UsageError } from './report.js';

const MAX_EXPIRES_S = 7 * 24 * 3600;
const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** `3600`, `90s`, `15m`, `12h`, `7d` → whole seconds, 1 s to 7 days (S3's presign limit). */
export function parseExpires(text: string): number {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(text);
  const n = m ? Number(m[1]) * DURATION_UNITS[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_EXPIRES_S) throw new InvalidArgumentError(`expected a duration from 1s to 7d such as 3600, 15m, 12h or 7d, got ${JSON.stringify(text)}`);
  return n;
}

/** `s3://bucket/key`, `/bucket/key` or `bucket/key` → bucket and key (the key may contain '/'). */
export function parseObjectRef(text: string): { bucket: string; key: string } {
  const rest = text.startsWith('s3://') ? text.slice(5) : text.replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) throw new UsageError(`expected bucket/key (or s3://bucket/key), got ${JSON.stringify(text)}`);
  return { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

interface PresignFlags extends ClientFlags {
  method: 'GET' | 'PUT' | 'HEAD';
  expiresIn: number;
  endpoint?: string;
  accessKey?: string;
  secretKey?: string;
  region?: string;
}

/** The signing key and endpoint: flags and variables, else credentials.json, else the key's secret from the master. */
async function presignSettings(o: PresignFlags, cmd: Command): Promise<{ endpoint: string; accessKeyId: string; secretKey: string; region: string }> {
  const creds = readCredentialsFileSync(o.credentials);
  const endpoint = o.endpoint ?? creds?.endpoint ?? 'http://127.0.0.1:9000';
  const region = o.region ?? creds?.s3?.region ?? 'us-east-1';
  const accessKeyId = o.accessKey ?? creds?.s3?.accessKeyId;
  if (!accessKeyId) throw new UsageError(`no S3 access key: give --access-key/GODFS_S3_ACCESS_KEY, or run next to the credentials file of godfs up (${o.credentials})`);
  let secretKey = o.secretKey ?? (creds?.s3?.accessKeyId === accessKeyId ? creds.s3.secretKey : undefined);
  if (!secretKey) {
    // A key made with `godfs admin keys create`: its secret is in master metadata.
    const key = await withClient(cmd, async (client) => (await client.listAccessKeys()).find((k) => k.accessKeyId === accessKeyId));
    if (!key) throw new GodfsError('not_found', `no access key ${accessKeyId} in the cluster; give its --secret-key`);
    secretKey = key.secretKey;
  }
  return { endpoint, accessKeyId, secretKey, region };
}

function registerPresign(program: Command): void {
  addClientOptions(
    program
      .command('presign')
      .summary('print a presigned S3 URL for an object')
      .description(
        'Prints a presigned S3 URL (SigV4 in the query string, path-style) that lets anyone holding it GET, PUT or HEAD one object until it expires, with no other credentials: ' +
          '`curl -T file "$(godfs presign --method PUT photos/a.jpg)"`. The URL is computed locally. ' +
          'The signing key is --access-key/--secret-key, else the S3 root key in the credentials file `godfs up` writes; a key made with `godfs admin keys create` needs only --access-key (its secret is fetched from the master).',
      )
      .argument('<object>', 'bucket/key, /bucket/key or s3://bucket/key')
      .addOption(new Option('--method <method>', 'HTTP method the URL allows').choices(['GET', 'PUT', 'HEAD']).default('GET'))
      .addOption(new Option('--expires-in <duration>', 'validity: seconds, or 15m, 12h, 7d (at most 7d)').argParser(parseExpires).default(3600, '3600'))
      .addOption(new Option('--endpoint <url>', 'gateway base URL (default: the one in the credentials file, else http://127.0.0.1:9000)').env('GODFS_ENDPOINT'))
      .addOption(new Option('--access-key <id>', 'S3 access key id to sign with (default: the root key in the credentials file)').env('GODFS_S3_ACCESS_KEY'))
      .addOption(new Option('--secret-key <secret>', 'its secret key').env('GODFS_S3_SECRET_KEY'))
      .addOption(new Option('--region <region>', 'region in the signature (default: the credentials file\'s, else us-east-1)').env('GODFS_S3_REGION')),
  ).action(async (ref: string, o: PresignFlags, cmd: Command) => {
    const { bucket, key } = parseObjectRef(ref);
    const s = await presignSettings(o, cmd);
    try {
      new URL(s.endpoint);
    } catch {
      throw new UsageError(`--endpoint must be a URL such as http://127.0.0.1:9000, got ${JSON.stringify(s.endpoint)}`);
    }
    const { presignUrl } = await import('../gateway/s3/auth/index.js');
    process.stdout.write(presignUrl({ method: o.method, endpoint: s.endpoint, bucket, key, accessKeyId: s.accessKeyId, secretKey: s.secretKey, region: s.region, expiresIn: o.expiresIn }) + '\n');
  });
}

function keyJson(k: AccessKeyInfo, withSecret: boolean): Record<string, unknown> {
  return {
    accessKeyId: k.accessKeyId,
    ...(withSecret ? { secretKey: k.secretKey } : {}),
    buckets: k.buckets,
    readOnly: k.readOnly,
    description: k.description,
    created: isoTime(k.createdMs),
  };
}

function collectBucket(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((b) => b.trim()).filter(Boolean)];
}

function registerKeys(adminCmd: Command): void {
  const keys = adminCmd.command('keys').summary('S3 access keys').description('S3 access keys kept in master metadata (they survive restarts). The root key of `godfs up` is configuration and is not listed here.');

  addClientOptions(
    keys
      .command('create')
      .summary('create an S3 access key')
      .description('Creates an access key and prints its id and secret (the secret is shown again only by `godfs admin keys list --show-secrets`). Without --bucket the key may use every bucket.')
      .option('--bucket <name>', 'limit the key to this bucket (repeat, or comma-separate, for several)', collectBucket)
      .option('--read-only', 'the key may only read (GET, HEAD, list)', false)
      .option('--description <text>', 'a note kept with the key')
      .option('--access-key-id <id>', 'choose the id (default: generated, 20 characters A-Z0-9)')
      .option('--secret-key <secret>', 'choose the secret (default: generated, 40 characters)')
      .option('--json', 'print JSON', false),
  ).action(async (o: { bucket?: string[]; readOnly: boolean; description?: string; accessKeyId?: string; secretKey?: string; json: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const k = await client.createAccessKey({ accessKeyId: o.accessKeyId, secretKey: o.secretKey, buckets: o.bucket ?? [], readOnly: o.readOnly, description: o.description ?? '' });
      if (o.json) return void process.stdout.write(JSON.stringify(keyJson(k, true), null, 2) + '\n');
      const rows = [
        ['access key id', k.accessKeyId],
        ['secret key', k.secretKey],
        ['buckets', k.buckets.length ? k.buckets.join(',') : '* (all)'],
        ['access', k.readOnly ? 'read-only' : 'read-write'],
      ];
      if (k.description) rows.push(['description', k.description]);
      process.stdout.write(table(['KEY', 'VALUE'], rows));
    });
  });

  addClientOptions(
    keys
      .command('list')
      .summary('list S3 access keys')
      .description('Lists the access keys in master metadata: id, buckets, access, creation time, description. Secrets are hidden unless --show-secrets.')
      .option('--show-secrets', 'also print the secret keys', false)
      .option('--json', 'print JSON', false),
  ).action(async (o: { showSecrets: boolean; json: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const list = [...(await client.listAccessKeys())].sort((a, b) => (a.accessKeyId < b.accessKeyId ? -1 : a.accessKeyId > b.accessKeyId ? 1 : 0));
      if (o.json) return void process.stdout.write(JSON.stringify(list.map((k) => keyJson(k, o.showSecrets)), null, 2) + '\n');
      const rows = list.map((k) => [
        k.accessKeyId,
        ...(o.showSecrets ? [k.secretKey] : []),
        k.buckets.length ? k.buckets.join(',') : '*',
        k.readOnly ? 'read-only' : 'read-write',
        isoTime(k.createdMs),
        k.description || '-',
      ]);
      process.stdout.write(table(['ACCESS KEY ID', ...(o.showSecrets ? ['SECRET KEY'] : []), 'BUCKETS', 'ACCESS', 'CREATED', 'DESCRIPTION'], rows));
    });
  });

  addClientOptions(
    keys
      .command('revoke')
      .summary('revoke an S3 access key')
      .description('Deletes an access key from master metadata. Gateways stop accepting it within 5 seconds (their key cache).')
      .argument('<access-key-id>', 'the key to revoke'),
  ).action(async (id: string, _o: unknown, cmd: Command) => {
    await withClient(cmd, (client) => client.revokeAccessKey(id));
    process.stdout.write(`revoked ${id}\n`);
  });
}

/** Adds `godfs presign` and `godfs admin keys …` (the `admin` group must already exist). */
export function registerS3Commands(program: Command): void {
  registerPresign(program);
  const adminCmd = program.commands.find((c) => c.name() === 'admin');
  if (!adminCmd) throw new Error('registerS3Commands: the admin command group is not registered yet');
  registerKeys(adminCmd);
}
