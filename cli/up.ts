// `godfs up`: a whole cluster on one machine — a master (or a Raft group of 3 or 5, cli/up-masters.ts),
// N chunkservers and the gateway, each a child process of this one — with credentials kept in the data
// directory so a restart serves the same files with the same key.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { createLogger, type Logger } from '../common/log.js';
import { formatHostPort, parseHostPort } from '../common/net.js';
import { resolveApiKey, resolveS3Key, writeCredentials, CREDENTIALS_FILE } from './credentials.js';
import { envOption, logLevelOption, parseAddress, parseCount, parseSize } from './options.js';
import { UsageError } from './report.js';
import { checkS3Pair, s3Options, uploadMaxAgeOption } from './server-commands.js';
import { SupervisedChild, type SupervisorOptions } from './supervisor.js';
import { checkGroupAddresses, checkMasterDirs, checkPortOverlap, connectable, groupReady, parseMasterCount, peersArg, planMasters, probeMaster, type MasterPlan, type MasterReadiness } from './up-masters.js';

export { connectable };

export interface UpFlags {
  data: string;
  listen: string;
  masterListen: string;
  masters: number;
  chunkservers: number;
  replication: number;
  apiKey?: string;
  maxChunkSize: number;
  chunkserverPort: number;
  maxBodyBytes?: number;
  logs?: string;
  uploadMaxAgeMs: number;
  s3AccessKey?: string;
  s3SecretKey?: string;
  s3Region: string;
  s3Domain?: string;
  logLevel: string;
}

export const PIDS_FILE = 'pids.json';

/** The shape of `<data>/pids.json`, which tools (bench, tests, operators) read. */
export interface PidsFile {
  up: number;
  dataDir: string;
  endpoint: string | undefined;
  /** The first master (m1); with --masters 3 or 5 every master is in `masters`. */
  master: { pid: number | undefined; address: string | undefined };
  /** Every master: its Raft id, child name, pid, gRPC address (its --peers entry) and health/metrics HTTP address. */
  masters: Array<{ id: string; name: string; pid: number | undefined; address: string | undefined; httpAddress: string | undefined }>;
  gateway: { pid: number | undefined; address: string | undefined };
  chunkservers: Array<{ name: string; pid: number | undefined; address: string | undefined }>;
}

const READY_TIMEOUT_MS = 90_000;
/** V8 young-generation sizing of the gateway child (see docs/operations.md, "Memory"). */
export const GATEWAY_SEMI_SPACE = '--max-semi-space-size=8';

export function registerUpCommand(program: Command): void {
  const up = program
    .command('up')
    .summary('run a whole cluster on this machine (master, chunkservers, gateway)')
    .description(
      'Runs a master, N chunkservers and the gateway as supervised child processes of this one: data under <data>/master and <data>/chunkserver-<i>, the /v1 REST API on --listen. ' +
        'With --masters 3 or 5 the masters are a Raft group: ids m1..mn on consecutive ports from --master-listen, data under <data>/master-m<i>; chunkservers, the gateway and <data>/credentials.json get every address. ' +
        'A child that dies is restarted with backoff; SIGINT/SIGTERM stops them all. ' +
        'The API key is --api-key/GODFS_API_KEY, or one generated once and kept in <data>/credentials.json (mode 0600); so is the S3 root key pair (--s3-access-key/--s3-secret-key). ' +
        'Child pids are in <data>/pids.json, child logs in <data>/logs. Restarting on the same data directory serves every file again.\n\n' +
        'Replication defaults to 1: every chunkserver started here shares one disk, so more replicas would cost space and write bandwidth without protecting against that disk failing (docs/getting-started.md). ' +
        'Use --replication 2 or 3 to exercise the replication pipeline.',
    )
    .addOption(envOption('--data <dir>', 'data directory of the whole cluster', 'GODFS_DATA', undefined, './data'))
    .addOption(envOption('--listen <host:port>', 'gateway HTTP address (/v1 REST and S3)', 'GODFS_GATEWAY_LISTEN', parseAddress, '127.0.0.1:9000'))
    .addOption(envOption('--master-listen <host:port>', 'master gRPC address (what client commands take as --master); with --masters 3 or 5 the first of their consecutive ports', 'GODFS_MASTER_LISTEN', parseAddress, '127.0.0.1:9090'))
    .addOption(envOption('--masters <n>', 'masters: 1, or a Raft group of 3 or 5 on consecutive ports from --master-listen', 'GODFS_UP_MASTERS', parseMasterCount, 1))
    .addOption(envOption('--chunkservers <n>', 'number of chunkservers', 'GODFS_CHUNKSERVERS', (v) => parseCount(v, 1), 3))
    .addOption(envOption('--replication <n>', 'replication factor of new chunks (≤ chunkservers; 1 suits a single disk)', 'GODFS_REPLICATION', (v) => parseCount(v, 1), 1))
    .addOption(new Option('--api-key <key>', 'bearer API key (default: generated once, kept in <data>/credentials.json)').env('GODFS_API_KEY'))
    .addOption(envOption('--max-chunk-size <size>', 'largest chunk (bytes, or 32MiB etc.)', 'GODFS_MAX_CHUNK_SIZE', parseSize, 64 * 2 ** 20, '64MiB'))
    .addOption(envOption('--chunkserver-port <port>', 'first chunkserver data port; chunkserver i listens on port+i (0 = ephemeral ports)', 'GODFS_CHUNKSERVER_PORT', (v) => parseCount(v, 0), 0))
    .addOption(envOption('--max-body-bytes <size>', 'largest /v1 request body the gateway accepts (default: 5TiB)', 'GODFS_MAX_BODY_BYTES', parseSize))
    .addOption(envOption('--logs <dir>', "directory for the children's JSON logs, or - to print them on stdout", 'GODFS_LOGS', undefined, undefined, '<data>/logs'))
    .addOption(uploadMaxAgeOption());
  for (const opt of s3Options()) up.addOption(opt);
  up.addOption(logLevelOption()).action(async (o: UpFlags) => {
    process.exitCode = await runUp(o);
  });
}

async function checkNotRunning(dataDir: string): Promise<void> {
  let pids: Partial<PidsFile>;
  try {
    pids = JSON.parse(await readFile(join(dataDir, PIDS_FILE), 'utf8')) as Partial<PidsFile>;
  } catch {
    return;
  }
  if (typeof pids.up !== 'number' || pids.up === process.pid) return;
  try {
    process.kill(pids.up, 0);
  } catch {
    return; // stale file from a run that was killed
  }
  const cmdline = await readFile(`/proc/${pids.up}/cmdline`, 'utf8').catch(() => '');
  if (cmdline && !cmdline.includes('up')) return; // the pid was reused by something else
  throw new UsageError(`another godfs up (pid ${pids.up}) is using ${dataDir}; stop it first`);
}

export async function runUp(o: UpFlags): Promise<number> {
  checkS3Pair(o.s3AccessKey, o.s3SecretKey);
  if (o.replication > o.chunkservers) throw new UsageError(`--replication ${o.replication} needs at least as many chunkservers (got --chunkservers ${o.chunkservers})`);
  const dataDir = resolve(o.data);
  const plan = planMasters(o.masters, o.masterListen, dataDir);
  checkPortOverlap(plan, [
    { what: 'the gateway (--listen)', ports: [parseHostPort(o.listen).port] },
    { what: 'a chunkserver (--chunkserver-port)', ports: o.chunkserverPort === 0 ? [] : Array.from({ length: o.chunkservers }, (_v, i) => o.chunkserverPort + i) },
  ]);
  const log = createLogger({ role: 'up' }, o.logLevel);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await checkNotRunning(dataDir);
  await checkMasterDirs(dataDir, o.masters);
  await checkGroupAddresses(dataDir, plan);
  const logDir = o.logs === '-' ? undefined : resolve(o.logs ?? join(dataDir, 'logs'));
  if (logDir) await mkdir(logDir, { recursive: true });

  const { apiKey, generated } = await resolveApiKey(dataDir, o.apiKey);
  if (generated) log.info({ file: join(dataDir, CREDENTIALS_FILE) }, 'generated a new API key');
  const s3Key = await resolveS3Key(dataDir, { accessKeyId: o.s3AccessKey, secretKey: o.s3SecretKey });
  if (s3Key.generated) log.info({ file: join(dataDir, CREDENTIALS_FILE) }, 'generated a new S3 root key pair');

  // Children get exactly the configuration we pass: no GODFS_* of ours leaks into them (a GODFS_NODE_ID
  // meant for something else would give every chunkserver the same id). The key travels in the
  // environment rather than argv so `ps` does not show it.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GODFS_')) env[k] = v;
  env.GODFS_API_KEY = apiKey;
  env.GODFS_S3_ACCESS_KEY = s3Key.accessKeyId;
  env.GODFS_S3_SECRET_KEY = s3Key.secretKey;
  env.GODFS_LOG_LEVEL = o.logLevel;

  const cliPath = fileURLToPath(new URL('./main.js', import.meta.url));
  const children: SupervisedChild[] = [];
  // pids.json writes are chained so two quick changes never race on the temp file.
  let pidsChain = Promise.resolve();
  const writePids = () => {
    pidsChain = pidsChain.then(() => savePids(dataDir, parts, log));
  };
  const sup: SupervisorOptions = { cliPath, env, logDir, logger: log, onChange: writePids };

  // Port 0 (a single master only; a group names its members by fixed ports) is resolved by the first
  // start and then kept, so a restarted child comes back where the others expect it.
  let gatewayListen = o.listen;
  const masterHost = parseHostPort(o.masterListen).host;
  const masterList = () => plan.map((m) => m.address).join(',');
  const masters: UpMaster[] = plan.map((m) => ({
    plan: m,
    child: new SupervisedChild(
      {
        name: m.name,
        args: () => [
          'master', '--data', m.dataDir, '--listen', m.listen, '--replication', String(o.replication), '--max-chunk-size', String(o.maxChunkSize),
          '--upload-max-age-ms', String(o.uploadMaxAgeMs),
          // A group: every member is started with the same --peers (read only while its data directory
          // has no Raft state yet). A single master keeps the defaults it always had (m1, alone).
          ...(plan.length > 1 ? ['--node-id', m.id, '--peers', peersArg(plan)] : []),
        ],
      },
      sup,
    ),
  }));
  const chunkservers = Array.from({ length: o.chunkservers }, (_v, i) => {
    const name = `chunkserver-${i}`;
    let listen = formatHostPort(masterHost, o.chunkserverPort === 0 ? 0 : o.chunkserverPort + i);
    const child = new SupervisedChild(
      {
        name,
        args: () => ['chunkserver', '--master', masterList(), '--data', join(dataDir, name), '--listen', listen, '--max-chunk-size', String(o.maxChunkSize)],
      },
      sup,
    );
    return { child, setListen: (a: string) => (listen = a) };
  });
  const gateway = new SupervisedChild(
    {
      name: 'gateway',
      // A smaller young generation (V8's default semi-space is 16 MiB): the gateway allocates much
      // short-lived garbage per request, and measured under `npm run bench` this keeps its peak RSS
      // ~15-40 MiB lower at the same throughput. An explicit NODE_OPTIONS setting wins.
      nodeArgs: /--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? '') ? [] : [GATEWAY_SEMI_SPACE],
      args: () => [
        'gateway',
        '--master',
        masterList(),
        '--listen',
        gatewayListen,
        ...(o.maxBodyBytes !== undefined ? ['--max-body-bytes', String(o.maxBodyBytes)] : []),
        '--s3-region',
        o.s3Region,
        ...(o.s3Domain ? ['--s3-domain', o.s3Domain] : []),
      ],
    },
    sup,
  );
  const parts: UpParts = { masters, chunkservers: chunkservers.map((c) => c.child), gateway };
  children.push(...masters.map((m) => m.child), ...chunkservers.map((c) => c.child), gateway);

  let stopping: Promise<number> | undefined;
  let fatal: ((err: Error) => void) | undefined;
  const fatalError = new Promise<never>((_res, rej) => (fatal = rej));
  fatalError.catch(() => undefined);
  let failedChild: SupervisedChild | undefined;
  for (const c of children) {
    c.onFatal = (err) => {
      failedChild ??= c;
      fatal?.(err);
    };
  }

  const stopAll = async (reason: string): Promise<number> => {
    log.info({ reason }, 'stopping the cluster');
    await gateway.stop();
    await Promise.all(chunkservers.map((c) => c.child.stop()));
    // The masters of a group stop together: one by one, each stop could start an election among the rest.
    await Promise.all(masters.map((m) => m.child.stop()));
    await pidsChain;
    await rm(join(dataDir, PIDS_FILE), { force: true });
    log.info('cluster stopped');
    return 0;
  };
  const done = new Promise<number>((resolveDone) => {
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal: sig }, 'second signal: killing every child now');
        for (const c of children) c.kill();
        resolveDone(130);
        return;
      }
      stopping = stopAll(sig);
      stopping.then(resolveDone, (err: unknown) => {
        log.error({ err }, 'stop failed');
        resolveDone(1);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
  });

  try {
    // The members of a group start together: none can be elected before a majority of them runs.
    for (const m of masters) m.child.start();
    const ms = await Promise.race([Promise.all(masters.map((m) => m.child.waitListening(60_000))), fatalError]);
    if (plan.length === 1) {
      plan[0]!.listen = ms[0]!.address;
      plan[0]!.address = connectable(ms[0]!.address);
    }
    for (const c of chunkservers) c.child.start();
    gateway.start();
    const [g, ...cs] = await Promise.race([Promise.all([gateway.waitListening(60_000), ...chunkservers.map((c) => c.child.waitListening(60_000))]), fatalError]);
    gatewayListen = g.address;
    cs.forEach((l, i) => chunkservers[i]!.setListen(l.address));
    const endpoint = `http://${connectable(gatewayListen)}`;
    const s3 = { accessKeyId: s3Key.accessKeyId, secretKey: s3Key.secretKey, region: o.s3Region };
    // Every master, comma-separated: client commands reading this file find the leader among them.
    await writeCredentials(dataDir, { apiKey, master: masterList(), endpoint, s3 });
    const readiness = await Promise.race([waitReady(endpoint, masters, o.chunkservers, READY_TIMEOUT_MS, () => stopping !== undefined), fatalError]);
    for (const c of children) c.failFast = false;
    writePids();
    if (stopping) return await done;
    const credentialsHint = dataDir === resolve('data') ? '' : ` --credentials ${join(dataDir, CREDENTIALS_FILE)}`;
    const masterRows = masters.map((m) => {
      const a = readiness.answers.find((r) => r?.id === m.plan.id);
      return { id: m.plan.id, address: m.plan.address, role: a?.ready ? 'leader' : (a?.role ?? 'not answering') };
    });
    printBanner({ credentialsHint, endpoint, master: masterList(), masters: masterRows, apiKey, s3, dataDir, logDir, readiness, chunkservers: o.chunkservers, replication: o.replication });
    log.info({ endpoint, master: masterList(), leader: readiness.leader, ready: readiness.ready }, 'godfs is up');
  } catch (err) {
    if (!stopping) {
      const logFile = failedChild?.logFile();
      log.error({ err: (err as Error).message, logFile }, 'startup failed');
      if (logFile) await printLogTail(logFile);
      stopping = stopAll('startup failed');
      await stopping;
      if (logFile && err instanceof Error) err.message += ` during startup (its log: ${logFile})`;
      throw err;
    }
  }
  return await done;
}

interface UpMaster {
  plan: MasterPlan;
  child: SupervisedChild;
}

interface UpParts {
  masters: UpMaster[];
  chunkservers: SupervisedChild[];
  gateway: SupervisedChild;
}

function httpAddressOf(c: SupervisedChild): string | undefined {
  const a = c.listening?.httpAddress;
  return typeof a === 'string' ? a : undefined;
}

async function savePids(dataDir: string, parts: UpParts, log: Logger): Promise<void> {
  const masters = parts.masters.map((m) => ({ id: m.plan.id, name: m.plan.name, pid: m.child.pid, address: m.child.listening?.address, httpAddress: httpAddressOf(m.child) }));
  const g = parts.gateway;
  const pids: PidsFile = {
    up: process.pid,
    dataDir,
    endpoint: g.listening ? `http://${connectable(g.listening.address)}` : undefined,
    master: { pid: masters[0]?.pid, address: masters[0]?.address },
    masters,
    gateway: { pid: g.pid, address: g.listening?.address },
    chunkservers: parts.chunkservers.map((c) => ({ name: c.spec.name, pid: c.pid, address: c.listening?.address })),
  };
  try {
    const tmp = join(dataDir, `${PIDS_FILE}.tmp`);
    await writeFile(tmp, JSON.stringify(pids, null, 2) + '\n');
    await rename(tmp, join(dataDir, PIDS_FILE));
  } catch (err) {
    log.warn({ err }, 'could not write pids.json');
  }
}

interface Readiness {
  /** Exactly one master leads and counts every chunkserver alive, and the gateway's /readyz answers 200. */
  ready: boolean;
  /** The leader's id, once there is exactly one. */
  leader?: string;
  /** What each master's /readyz said last (undefined: no answer). */
  answers: Array<MasterReadiness | undefined>;
  /** What was still missing when the wait gave up. */
  missing?: string;
}

async function gatewayReady(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/readyz`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false; // not listening yet
  }
}

async function waitReady(endpoint: string, masters: UpMaster[], chunkservers: number, timeoutMs: number, cancelled: () => boolean): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  let answers: Array<MasterReadiness | undefined> = [];
  let missing = 'a leader';
  while (Date.now() < deadline && !cancelled()) {
    const [gw, ...ms] = await Promise.all([gatewayReady(endpoint), ...masters.map((m) => probeMaster(m.plan.id, httpAddressOf(m.child)))]);
    answers = ms;
    const leader = groupReady(answers, chunkservers);
    if (leader && gw) return { ready: true, leader: leader.id, answers };
    const leaders = answers.filter((a) => a?.ready);
    missing =
      leaders.length === 0
        ? 'a leader among the masters'
        : leaders.length > 1
          ? `exactly one leader (${leaders.map((l) => l!.id).join(', ')} all answer as leader)`
          : !leader
            ? `every chunkserver registered (${leaders[0]!.chunkserversAlive ?? 0} of ${chunkservers})`
            : "the gateway's /readyz";
    await new Promise((r) => setTimeout(r, 200));
  }
  return { ready: false, answers, missing };
}
async function printLogTail(file: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.trimEnd().split('\n').slice(-8);
  if (lines.length && lines[0]) process.stderr.write(`--- last lines of ${file} ---\n${lines.join('\n')}\n`);
}

interface Banner {
  credentialsHint: string;
  endpoint: string;
  master: string;
  masters: Array<{ id: string; address: string; role: string }>;
  apiKey: string;
  s3: { accessKeyId: string; secretKey: string; region: string };
  dataDir: string;
  logDir: string | undefined;
  readiness: Readiness;
  chunkservers: number;
  replication: number;
}

function printBanner(b: Banner): void {
  const url = `${b.endpoint}/v1/fs/content?path=/hello.txt`;
  const auth = `-H "Authorization: Bearer ${b.apiKey}"`;
  const awsEnv = `AWS_ACCESS_KEY_ID=${b.s3.accessKeyId} AWS_SECRET_ACCESS_KEY=${b.s3.secretKey} AWS_DEFAULT_REGION=${b.s3.region}`;
  const group = b.masters.length > 1;
  const lines = [
    '',
    b.readiness.ready ? 'godfs is up.' : `godfs is up, but not ready yet: waiting for ${b.readiness.missing ?? 'readiness'} (see the logs).`,
    `  endpoint  ${b.endpoint}/v1   (native REST, docs/rest-v1.md)`,
    `  s3        ${b.endpoint}   (S3 API, path-style, region ${b.s3.region}, docs/s3-compatibility.md)`,
    group
      ? `  masters   ${b.master}   (a Raft group of ${b.masters.length}; for godfs client commands: --master)`
      : `  master    ${b.master}   (for godfs client commands: --master)`,
    ...(group ? b.masters.map((m) => `    ${m.id.padEnd(8)}${m.address}   ${m.role}`) : []),
    `  api key   ${b.apiKey}`,
    `  s3 key    ${b.s3.accessKeyId}`,
    `  s3 secret ${b.s3.secretKey}`,
    `  data      ${b.dataDir}   (${group ? `${b.masters.length} masters, ` : ''}${b.chunkservers} chunkservers, replication ${b.replication}; credentials in ${CREDENTIALS_FILE})`,
    `  logs      ${b.logDir ?? 'stdout'}`,
    '',
    'Try:',
    `  echo hello | curl -sS ${auth} -T - "${url}"`,
    `  curl -sS ${auth} "${url}"`,
    `  npx godfs put -p ./README.md /docs/README.md${b.credentialsHint}`,
    `  npx godfs ls -l /docs${b.credentialsHint}`,
    b.credentialsHint ? '' : '  (client commands read ./data/credentials.json; elsewhere set GODFS_MASTER and GODFS_API_KEY)',
    '',
    'S3 (aws-cli, the SDKs, boto3, s3cmd, rclone, minio-js; path-style addressing):',
    `  export ${awsEnv}`,
    `  aws --endpoint-url ${b.endpoint} s3 mb s3://photos`,
    `  aws --endpoint-url ${b.endpoint} s3 cp ./README.md s3://photos/`,
    `  npx godfs presign photos/README.md${b.credentialsHint}`,
    '',
    'Ctrl-C stops the cluster; the data directory keeps every file for the next start.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
