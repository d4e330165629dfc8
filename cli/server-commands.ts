// `godfs master`, `godfs chunkserver`, `godfs gateway`: one cluster role per process, each configured by
// flags and their GODFS_* twins (docs/configuration.md lists them all). The role code is imported only
// when the command runs, so client commands and --help start fast.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { MEMBER_ID, parsePeers, type PeerSpec } from '../common/peers.js';
import { envOption, envSwitch, logLevelOption, parseAddress, parseAddressList, parseCount, parseSize, shortCircuitReadsOption } from './options.js';
import { UsageError } from './report.js';
import { runServer } from './run-server.js';

const DEFAULT_MASTER = '127.0.0.1:9090';

export interface MasterFlags {
  data: string;
  listen: string;
  httpListen?: string;
  apiKey?: string;
  replication: number;
  maxChunkSize: number;
  heartbeatIntervalMs?: number;
  nodeDeadAfterMs?: number;
  gcGraceMs?: number;
  uploadMaxAgeMs: number;
  repairConcurrency: number;
  repairRate: number;
  nodeId: string;
  peers?: PeerSpec[];
  electionTimeoutMs: number;
  snapshotEvery?: number;
  logLevel: string;
}

export interface ChunkserverFlags {
  master: string;
  data: string;
  listen: string;
  grpcListen?: string;
  nodeId?: string;
  apiKey?: string;
  capacity?: number;
  zone?: string;
  advertiseAddr?: string;
  maxChunkSize: number;
  scrubRate: number;
  logLevel: string;
}

export interface GatewayFlags {
  master: string;
  listen: string;
  apiKey?: string;
  maxBodyBytes?: number;
  allowAnonymousRead: boolean;
  allowAnonymousWrite: boolean;
  shortCircuitReads: boolean;
  s3AccessKey?: string;
  s3SecretKey?: string;
  s3Region: string;
  s3Domain?: string;
  logLevel: string;
}

/** The S3 flags `godfs gateway` and `godfs up` share (the root key pair, region, virtual-host domain). */
export function s3Options(): Option[] {
  return [
    envOption('--s3-access-key <id>', 'S3 root access key id (all buckets, read-write)', 'GODFS_S3_ACCESS_KEY'),
    envOption('--s3-secret-key <secret>', 'S3 root secret key (with --s3-access-key)', 'GODFS_S3_SECRET_KEY'),
    envOption('--s3-region <region>', 'region the S3 API reports (signatures of any region are accepted)', 'GODFS_S3_REGION', undefined, 'us-east-1'),
    envOption('--s3-domain <domain>', 'enables virtual-hosted–style S3: <bucket>.<domain>', 'GODFS_S3_DOMAIN'),
  ];
}

/** A root key needs both halves; half a pair is a usage error rather than a silently keyless gateway. */
export function checkS3Pair(accessKey: string | undefined, secretKey: string | undefined): void {
  if (!!accessKey !== !!secretKey) throw new UsageError('--s3-access-key and --s3-secret-key (GODFS_S3_ACCESS_KEY, GODFS_S3_SECRET_KEY) go together: give both or neither');
}

export function apiKeyOption(what: string): Option {
  return new Option('--api-key <key>', what).env('GODFS_API_KEY');
}

/** Incomplete multipart uploads expire after this long (master GC); shared by `master` and `up`. */
export function uploadMaxAgeOption(): Option {
  return envOption('--upload-max-age-ms <ms>', 'incomplete multipart uploads older than this are aborted and their parts collected (0 = never)', 'GODFS_UPLOAD_MAX_AGE_MS', (v) => parseCount(v, 0), 24 * 3600_000);
}

function parseMemberId(text: string): string {
  if (!MEMBER_ID.test(text)) throw new InvalidArgumentError('1–64 characters of A–Z a–z 0–9 _ . - (starting with a letter or digit)');
  return text;
}

function parsePeerList(text: string): PeerSpec[] {
  try {
    return parsePeers(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function maxChunkSizeOption(): Option {
  return envOption('--max-chunk-size <size>', 'largest chunk (bytes, or 32MiB etc.)', 'GODFS_MAX_CHUNK_SIZE', parseSize, 64 * 2 ** 20, '64MiB');
}

export function registerServerCommands(program: Command): void {
  program
    .command('master')
    .summary('run the master (namespace, chunk map, placement)')
    .description('Runs a master in the foreground: the namespace and chunk map behind a gRPC API, with /healthz, /readyz and /metrics over HTTP. Logs JSON to stdout; stops cleanly on SIGINT/SIGTERM.')
    .addOption(envOption('--data <dir>', 'directory for the write-ahead log and snapshots', 'GODFS_MASTER_DATA', undefined, './data/master'))
    .addOption(envOption('--listen <host:port>', 'gRPC address (port 0 = ephemeral)', 'GODFS_MASTER_LISTEN', parseAddress, DEFAULT_MASTER))
    .addOption(envOption('--http-listen <host:port>', 'health and metrics HTTP address (default: the gRPC host, ephemeral port)', 'GODFS_MASTER_HTTP_LISTEN', parseAddress))
    .addOption(apiKeyOption('bearer API key required from clients and chunkservers (none: no auth)'))
    .addOption(envOption('--replication <n>', 'default replication factor of new chunks', 'GODFS_REPLICATION', (v) => parseCount(v, 1), 3))
    .addOption(maxChunkSizeOption())
    .addOption(envOption('--heartbeat-interval-ms <ms>', 'heartbeat interval asked of chunkservers (default 1000)', 'GODFS_HEARTBEAT_INTERVAL_MS', (v) => parseCount(v, 1)))
    .addOption(envOption('--node-dead-after-ms <ms>', 'a chunkserver silent this long is dead (default 10000)', 'GODFS_NODE_DEAD_AFTER_MS', (v) => parseCount(v, 1)))
    .addOption(envOption('--gc-grace-ms <ms>', 'unreferenced chunks are deleted this long after becoming garbage (default 600000)', 'GODFS_GC_GRACE_MS', (v) => parseCount(v, 0)))
    .addOption(uploadMaxAgeOption())
    .addOption(envOption('--repair-concurrency <n>', 're-replication copies in flight at once', 'GODFS_REPAIR_CONCURRENCY', (v) => parseCount(v, 1), 4))
    .addOption(envOption('--repair-rate <size>', 're-replication bytes per second across the cluster (0 = unlimited)', 'GODFS_REPAIR_RATE', parseSize, 64 * 2 ** 20, '64MiB'))
    .addOption(envOption('--node-id <id>', "this master's member id in the Raft group", 'GODFS_MASTER_NODE_ID', parseMemberId, 'm1'))
    .addOption(
      envOption(
        '--peers <id=host:port,...>',
        "the group's first members, this one included, each at its gRPC address; read only when the data directory has no Raft state yet (default: this master alone). A master started with an empty --data and an id not in the list waits to be added (godfs admin raft add)",
        'GODFS_MASTER_PEERS',
        parsePeerList,
      ),
    )
    .addOption(envOption('--election-timeout-ms <ms>', 'a follower that hears from no leader for about this long starts an election', 'GODFS_ELECTION_TIMEOUT_MS', (v) => parseCount(v, 50), 1000))
    .addOption(envOption('--snapshot-every <n>', 'write a Raft snapshot (and drop the log behind it) after at least this many commands (on a large namespace, after half as many as it has inodes and chunks)', 'GODFS_SNAPSHOT_EVERY', (v) => parseCount(v, 1), 20_000))
    .addOption(logLevelOption())
    .action(async (o: MasterFlags) => {
      const { startMaster } = await import('../cluster/master/server.js');
      process.exitCode = await runServer(
        'master',
        o.logLevel,
        (logger) =>
          startMaster({
            dataDir: o.data,
            listen: o.listen,
            httpListen: o.httpListen,
            apiKey: o.apiKey || undefined,
            replication: o.replication,
            maxChunkSize: o.maxChunkSize,
            heartbeatIntervalMs: o.heartbeatIntervalMs,
            nodeDeadAfterMs: o.nodeDeadAfterMs,
            gcGraceMs: o.gcGraceMs,
            uploadMaxAgeMs: o.uploadMaxAgeMs,
            repairConcurrency: o.repairConcurrency,
            repairBytesPerSec: o.repairRate,
            nodeId: o.nodeId,
            peers: o.peers,
            electionTimeoutMs: o.electionTimeoutMs,
            snapshotEvery: o.snapshotEvery,
            logger,
          }),
        (h) => ({ address: h.address, httpAddress: h.httpAddress }),
      );
    });

  program
    .command('chunkserver')
    .summary('run a chunkserver (chunk replicas on local disk)')
    .description('Runs a chunkserver in the foreground: stores chunk replicas under --data with a checksum per 64 KiB block, serves chunk bytes over HTTP on --listen, registers and heartbeats to the master. Its node id is generated once and kept in the data directory. Logs JSON to stdout; stops cleanly on SIGINT/SIGTERM.')
    .addOption(envOption('--master <host:port,...>', 'master gRPC address, or the addresses of every master of a group', 'GODFS_MASTER', parseAddressList, DEFAULT_MASTER))
    .addOption(envOption('--data <dir>', 'directory for chunk files', 'GODFS_CHUNKSERVER_DATA', undefined, './data/chunkserver'))
    .addOption(envOption('--listen <host:port>', 'data-plane HTTP address, also /healthz, /readyz, /metrics (port 0 = ephemeral)', 'GODFS_CHUNKSERVER_LISTEN', parseAddress, '127.0.0.1:9100'))
    .addOption(envOption('--grpc-listen <host:port>', 'control gRPC address (default: the --listen host, ephemeral port)', 'GODFS_CHUNKSERVER_GRPC_LISTEN', parseAddress))
    .addOption(envOption('--node-id <id>', 'node id (default: generated once, kept in the data directory)', 'GODFS_NODE_ID'))
    .addOption(apiKeyOption('bearer API key shared with the master and clients'))
    .addOption(envOption('--capacity <size>', 'bytes this node offers (e.g. 10GiB; default: the size of the data disk)', 'GODFS_CAPACITY', parseSize))
    .addOption(envOption('--zone <zone>', 'failure zone, for placement', 'GODFS_ZONE'))
    .addOption(envOption('--advertise-addr <host:port>', 'data address announced to the master (default: the bound --listen address)', 'GODFS_ADVERTISE_ADDR', parseAddress))
    .addOption(maxChunkSizeOption())
    .addOption(envOption('--scrub-rate <size>', 'background checksum verification, bytes per second (0 = no scrubbing)', 'GODFS_SCRUB_RATE', parseSize, 8 * 2 ** 20, '8MiB'))
    .addOption(logLevelOption())
    .action(async (o: ChunkserverFlags) => {
      const { startChunkserver } = await import('../cluster/chunkserver/server.js');
      process.exitCode = await runServer(
        'chunkserver',
        o.logLevel,
        (logger) =>
          startChunkserver({
            master: o.master,
            dataDir: o.data,
            listen: o.listen,
            grpcListen: o.grpcListen,
            nodeId: o.nodeId || undefined,
            apiKey: o.apiKey || undefined,
            capacityBytes: o.capacity,
            zone: o.zone,
            advertiseAddr: o.advertiseAddr,
            maxChunkSize: o.maxChunkSize,
            scrubBytesPerSec: o.scrubRate,
            logger,
          }),
        (h) => ({ address: h.address, controlAddress: h.controlAddress, nodeId: h.nodeId }),
      );
    });

  const gateway = program
    .command('gateway')
    .summary('run the HTTP gateway (native /v1 REST and the S3 API)')
    .description(
      'Runs the gateway in the foreground: the /v1 REST API (docs/rest-v1.md) and the S3 API (docs/s3-compatibility.md) on one address over the sdk, plus /healthz, /readyz and /metrics. ' +
        'S3 requests are signed with the root key (--s3-access-key/--s3-secret-key) or a key made with `godfs admin keys create`. Logs JSON to stdout; stops cleanly on SIGINT/SIGTERM.',
    )
    .addOption(envOption('--master <host:port,...>', 'master gRPC address, or the addresses of every master of a group', 'GODFS_MASTER', parseAddressList, DEFAULT_MASTER))
    .addOption(envOption('--listen <host:port>', 'HTTP address (port 0 = ephemeral)', 'GODFS_GATEWAY_LISTEN', parseAddress, '127.0.0.1:9000'))
    .addOption(apiKeyOption('bearer API key that /v1 requires and the gateway uses towards the cluster'))
    .addOption(envOption('--max-body-bytes <size>', 'largest request body accepted (413 above; e.g. 5GiB; default: 5TiB, the S3 object limit)', 'GODFS_MAX_BODY_BYTES', parseSize))
    .addOption(envSwitch('--allow-anonymous-read', 'serve GET/HEAD without credentials', 'GODFS_ALLOW_ANONYMOUS_READ'))
    .addOption(envSwitch('--allow-anonymous-write', 'accept writes without credentials (dangerous)', 'GODFS_ALLOW_ANONYMOUS_WRITE'))
    .addOption(shortCircuitReadsOption());
  for (const opt of s3Options()) gateway.addOption(opt);
  gateway
    .addOption(logLevelOption())
    .action(async (o: GatewayFlags) => {
      checkS3Pair(o.s3AccessKey, o.s3SecretKey);
      const [{ startGateway }, { GodfsClient }] = await Promise.all([import('../gateway/server.js'), import('../sdk/client.js')]);
      const client = new GodfsClient({ master: o.master, apiKey: o.apiKey || undefined, shortCircuitReads: o.shortCircuitReads });
      process.exitCode = await runServer(
        'gateway',
        o.logLevel,
        async (logger) => {
          try {
            const gw = await startGateway({
              client,
              listen: o.listen,
              apiKey: o.apiKey || undefined,
              allowAnonymousRead: o.allowAnonymousRead,
              allowAnonymousWrite: o.allowAnonymousWrite,
              maxBodyBytes: o.maxBodyBytes,
              logger,
              s3: { rootAccessKey: o.s3AccessKey || undefined, rootSecretKey: o.s3SecretKey || undefined, region: o.s3Region, domain: o.s3Domain || undefined },
            });
            return {
              address: gw.address,
              close: async () => {
                try {
                  await gw.close();
                } finally {
                  client.close();
                }
              },
            };
          } catch (err) {
            client.close();
            throw err;
          }
        },
        (h) => ({ address: h.address }),
      );
    });
}
