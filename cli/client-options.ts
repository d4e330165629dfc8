// Flags every client command shares (--master, --api-key, --credentials) and the sdk client built from
// them. When neither --master nor --api-key is given (flag or environment), both are read from the
// credentials file `godfs up` writes, so commands run beside `./data` need no configuration.
import { Option, type Command } from 'commander';
import type { Godfs } from '../sdk/types.js';
import { readCredentialsFileSync } from './credentials.js';
import { parseAddressList, shortCircuitReadsOption } from './options.js';

export const DEFAULT_CLIENT_MASTER = '127.0.0.1:9090';
export const DEFAULT_CREDENTIALS = './data/credentials.json';

export interface ClientFlags {
  master: string;
  apiKey?: string;
  credentials: string;
  shortCircuitReads: boolean;
}

export function addClientOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--master <host:port,...>', 'master gRPC address, or the addresses of every master of a group').env('GODFS_MASTER').argParser(parseAddressList).default(DEFAULT_CLIENT_MASTER))
    .addOption(new Option('--api-key <key>', 'bearer API key of the cluster').env('GODFS_API_KEY'))
    .addOption(
      new Option('--credentials <file>', 'credentials file written by `godfs up`, read when neither --master nor --api-key is set')
        .env('GODFS_CREDENTIALS')
        .default(DEFAULT_CREDENTIALS),
    )
    .addOption(shortCircuitReadsOption());
}

/** Resolves the effective master address and API key for a command (see the file comment). */
export function resolveClientConfig(cmd: Command): { master: string; apiKey: string | undefined; shortCircuitReads: boolean } {
  const o = cmd.opts<ClientFlags>();
  const explicit = (name: string) => {
    const src = cmd.getOptionValueSource(name);
    return src === 'cli' || src === 'env';
  };
  let master = o.master;
  let apiKey = o.apiKey || undefined;
  if (!explicit('master') && !explicit('apiKey')) {
    const creds = readCredentialsFileSync(o.credentials);
    if (creds) {
      apiKey = creds.apiKey;
      if (creds.master) master = creds.master;
    }
  }
  return { master, apiKey, shortCircuitReads: o.shortCircuitReads !== false };
}

/** Runs `fn` with an sdk client configured from the command's flags, and always closes it. */
export async function withClient<T>(cmd: Command, fn: (client: Godfs) => Promise<T>): Promise<T> {
  const { GodfsClient } = await import('../sdk/client.js');
  const client = new GodfsClient(resolveClientConfig(cmd));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Remote paths are absolute; a relative one is taken from the root (`a/b` is `/a/b`). */
export function remotePath(p: string): string {
  return p.startsWith('/') ? p : '/' + p;
}
