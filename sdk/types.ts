// Public types of the godfs sdk: the one client of the cluster that the gateway, the CLI and the FUSE
// mount share (docs/architecture.md). Errors are the typed errors of common/errors.ts.
import type { Readable } from 'node:stream';

export type FileType = 'file' | 'dir' | 'symlink';

export interface FileInfo {
  /** Normalised absolute path this info was fetched for. */
  path: string;
  /** Last path segment ('' for the root). */
  name: string;
  id: number;
  type: FileType;
  isDir: boolean;
  size: number;
  /** Permission bits (07777). */
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  ctimeMs: number;
  atimeMs: number;
  birthMs: number;
  nlink: number;
  /** Strong validator of the content: MD5 hex for whole-object writes, unquoted. '' for directories. */
  etag: string;
  /** Content generation, bumped on every content change. */
  gen: number;
  xattrs: Record<string, Buffer>;
  /** Symlink target. */
  target?: string;
}

export type DirEntryInfo = FileInfo;

export interface ListResult {
  entries: DirEntryInfo[];
  /** Pass back as `cursor` for the next page; null when the listing is complete. */
  nextCursor: string | null;
}

export type WriteSource = Readable | AsyncIterable<Uint8Array> | Uint8Array | string;

export interface WriteOptions {
  /** Create missing parent directories. */
  parents?: boolean;
  /** With parents: create them only below this directory, which must exist (else not_found). */
  parentsBelow?: string;
  /** Fail with AlreadyExistsError if the file exists (If-None-Match: *). */
  exclusive?: boolean;
  /** Fail with PreconditionFailedError unless the current etag equals this (If-Match). */
  ifMatch?: string;
  /** Replace the file's xattrs (object metadata) with these, atomically with the content. */
  xattrs?: Record<string, Buffer | string>;
  /** Abort with TooLargeError (and store nothing) once more than this many bytes arrive. */
  maxBytes?: number;
  /** Replication factor for the new chunks (0/undefined = cluster default). */
  replication?: number;
  /** Permission bits for a newly created file. */
  mode?: number;
  signal?: AbortSignal;
  /** Called as bytes are written (for progress bars). */
  onProgress?: (bytesWritten: number) => void;
  /**
   * How many bytes the source will yield, when known (a Content-Length, a file's size): the next
   * chunk is then allocated while the current one streams only if bytes remain for it. A hint, not a
   * limit; a wrong one costs a round trip or one unused allocation.
   */
  sizeHint?: number;
}

export interface ReadOptions {
  offset?: number;
  /** Bytes to read from offset; undefined = to the end. */
  length?: number;
  signal?: AbortSignal;
}

export interface ReadResult {
  info: FileInfo;
  /** The requested bytes, verified against the chunk checksums; errors with ChecksumMismatchError. */
  stream: Readable;
  offset: number;
  length: number;
}

export interface SetAttrOptions {
  mode?: number;
  uid?: number;
  gid?: number;
  atimeMs?: number;
  mtimeMs?: number;
  setXattrs?: Record<string, Buffer | string>;
  removeXattrs?: string[];
  replaceXattrs?: boolean;
}

export interface UploadInfo {
  uploadId: string;
  path: string;
  createdMs: number;
  xattrs: Record<string, Buffer>;
}

export interface PartInfo {
  partNumber: number;
  size: number;
  /** MD5 hex of the part's bytes, unquoted. */
  etag: string;
  modifiedMs: number;
}

export interface NodeStatus {
  id: string;
  addr: string;
  controlAddr: string;
  capacity: number;
  free: number;
  used: number;
  chunkCount: number;
  lastHeartbeatMs: number;
  alive: boolean;
  zone: string;
  /** Being drained: gets no new chunks; its replicas are re-created elsewhere. */
  draining?: boolean;
  /** Chunks the master counts on this node (0 once a drain is complete). */
  neededChunks?: number;
  /** Free space below one chunk: gets no new chunks. */
  full?: boolean;
}

export interface ClusterStats {
  clusterId: string;
  capacity: number;
  free: number;
  used: number;
  nodesAlive: number;
  nodesTotal: number;
  inodes: number;
  chunks: number;
  defaultReplication: number;
  maxChunkSize: number;
  /** Chunks with fewer usable replicas (live, not draining, not corrupt) than their goal. */
  underReplicated?: number;
  /** Chunks with no usable replica left to copy from. */
  unrepairable?: number;
  /** Replicas reported at a version other than the committed one (being deleted). */
  staleReplicas?: number;
  /** Replicas reported corrupt and not yet replaced. */
  badReplicas?: number;
  /** Under-replicated chunks waiting for a copy slot. */
  repairQueue?: number;
  /** Replicas re-created since the master started. */
  repairsDone?: number;
  nodesDraining?: number;
}

export interface ReplicaStatus {
  nodeId: string;
  addr: string;
  state: 'live' | 'dead' | 'draining' | 'bad';
}

export interface ChunkStatus {
  chunkId: number;
  version: number;
  size: number;
  /** Replication goal (the factor the chunk was written with). */
  goal: number;
  /** Replicas that count towards the goal: live, not draining, not corrupt. */
  usable: number;
  /** A re-replication copy is in flight. */
  repairing: boolean;
  replicas: ReplicaStatus[];
}

export interface ChunkList {
  chunks: ChunkStatus[];
  /** Pass as `afterChunkId` for the next page; null when complete. */
  nextAfterChunkId: number | null;
}

export interface ListChunksOptions {
  /** Only chunks below their goal. */
  underReplicated?: boolean;
  /** Only chunks with a replica on this node. */
  nodeId?: string;
  /** Only chunks of this file. */
  path?: string;
  limit?: number;
  afterChunkId?: number;
}

/** Cluster administration (GodfsClient implements it; test doubles need not). */
export interface GodfsAdmin {
  drainNode(nodeId: string, opts?: { cancel?: boolean }): Promise<NodeStatus>;
  listChunks(opts?: ListChunksOptions): Promise<ChunkList>;
}

export interface ClientOptions {
  /** Master address(es), host:port. */
  master: string | string[];
  /** Bearer API key the master and chunkservers accept. */
  apiKey?: string;
  /** Per-call deadline for control calls (ms). Default 30 s. */
  timeoutMs?: number;
  /** How long to keep retrying a master or chunkserver that is unreachable (ms). Default 15 s. */
  retryForMs?: number;
  /**
   * Writes cut chunks at min(the master's chunk size, this) and keep each chunk's bytes in memory until
   * all its replicas have fsynced, to retry it elsewhere if a replica fails. At most two chunks per
   * write are held at once. Default 8 MiB (measured: keeps the gateway under 200 MiB RSS while moving 1 GiB).
   */
  writeUnitBytes?: number;
  /** Attempts per chunk, each on a fresh replica set without the nodes that failed. Default 4. */
  writeAttempts?: number;
  /** A chunk transfer with no progress for this long fails and is retried elsewhere (ms). Default 30 s. */
  dataTimeoutMs?: number;
  /**
   * Short-circuit reads (sdk/local-read.ts): read replicas whose chunk files are on this host straight
   * from disk, verified as the chunkserver would, instead of over HTTP. Default true; a replica that
   * is not on this host is read over HTTP either way.
   */
  shortCircuitReads?: boolean;
}

/** What the sdk client offers; the gateway, CLI and FUSE mount program against this. */
export interface Godfs extends GodfsKeys {
  stat(path: string): Promise<FileInfo>;
  /** Like stat, but does not follow a final symlink. */
  lstat(path: string): Promise<FileInfo>;
  mkdir(path: string, opts?: { parents?: boolean; mode?: number; uid?: number; gid?: number }): Promise<FileInfo>;
  /** Creates an empty file (or a symlink when `symlinkTarget` is set). */
  create(path: string, opts?: { exclusive?: boolean; parents?: boolean; mode?: number; uid?: number; gid?: number; symlinkTarget?: string }): Promise<FileInfo>;
  /** One page of a directory, sorted by name (UTF-8 byte order). */
  list(path: string, opts?: { limit?: number; cursor?: string }): Promise<ListResult>;
  /** Every entry of a directory, page by page. */
  listAll(path: string, opts?: { pageSize?: number; startAfter?: string }): AsyncIterable<DirEntryInfo>;
  /** Streams a file or a range of it. `readRange` is `read` with offset and length. */
  read(path: string, opts?: ReadOptions): Promise<ReadResult>;
  readRange(path: string, offset: number, length: number): Promise<ReadResult>;
  /** Reads a whole (small) file into memory. */
  readFile(path: string): Promise<Buffer>;
  /** Creates or atomically replaces a file with the stream's bytes (readers see old or new, never a mix). */
  write(path: string, source: WriteSource, opts?: WriteOptions): Promise<FileInfo>;
  /** Overwrites [offset, offset+len) in place (extending the file if needed); atomic. */
  writeAt(path: string, offset: number, source: WriteSource, opts?: { signal?: AbortSignal; replication?: number }): Promise<FileInfo>;
  truncate(path: string, size: number): Promise<FileInfo>;
  delete(path: string, opts?: { recursive?: boolean; onlyDir?: boolean; onlyFile?: boolean }): Promise<void>;
  /** Atomic; replaces an existing file target like POSIX rename(2). */
  rename(oldPath: string, newPath: string, opts?: { noReplace?: boolean }): Promise<void>;
  setAttr(path: string, attrs: SetAttrOptions): Promise<FileInfo>;

  createUpload(path: string, opts?: { xattrs?: Record<string, Buffer | string> }): Promise<UploadInfo>;
  uploadPart(uploadId: string, partNumber: number, source: WriteSource, opts?: { maxBytes?: number; signal?: AbortSignal; sizeHint?: number }): Promise<PartInfo>;
  listParts(uploadId: string): Promise<{ upload: UploadInfo; parts: PartInfo[] }>;
  listUploads(opts?: { pathPrefix?: string; limit?: number }): Promise<UploadInfo[]>;
  /** Splices the parts' extents into the file: metadata only, no byte copied. etag defaults to S3's md5-of-md5s-N. */
  completeUpload(uploadId: string, partNumbers: number[], opts?: { etag?: string; ifMatch?: string; exclusive?: boolean }): Promise<FileInfo>;
  abortUpload(uploadId: string): Promise<void>;

  clusterStats(): Promise<ClusterStats>;
  listNodes(): Promise<NodeStatus[]>;
  close(): void;
}

/** An S3 access key kept in master metadata (the root key from configuration is not listed). */
export interface AccessKeyInfo {
  accessKeyId: string;
  secretKey: string;
  /** Buckets the key may use; empty = every bucket. */
  buckets: string[];
  readOnly: boolean;
  description: string;
  createdMs: number;
}

export interface CreateAccessKeyOptions {
  /** Generated (20 chars, A–Z0–9) when omitted. */
  accessKeyId?: string;
  /** Generated (40 chars) when omitted. */
  secretKey?: string;
  buckets?: string[];
  readOnly?: boolean;
  description?: string;
}

/** Access-key administration (master metadata, survives restarts; replicated by Raft later). */
export interface GodfsKeys {
  createAccessKey(opts?: CreateAccessKeyOptions): Promise<AccessKeyInfo>;
  /** Every key, with secrets: callers need the cluster API key. */
  listAccessKeys(): Promise<AccessKeyInfo[]>;
  /** NotFoundError when no such key. */
  revokeAccessKey(accessKeyId: string): Promise<void>;
}
