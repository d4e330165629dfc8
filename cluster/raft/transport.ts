// Raft messages between masters over gRPC: one client stream per peer (`Raft.Send`), messages written in
// order, binary parts (commands, snapshot pieces) as protobuf bytes next to a JSON header.
//
// A peer that is slow or gone costs the sender only its own queue: messages to it wait in a bounded queue
// (the oldest are dropped past the cap — Raft resends what matters), a broken stream is reported to the
// core as unreachable (it falls back to probing) and is redialled with backoff, and nothing here ever
// blocks the caller. Snapshot pieces are read from the sender's snapshot file as they go out: the core
// names the piece (snapshot and offset), the transport attaches the bytes.
import * as grpc from '@grpc/grpc-js';
import { authMetadata, checkAuth, toServiceError } from '../../common/grpc.js';
import type { Logger } from '../../common/log.js';
import type { Frame, Frame__Output } from '../../proto/generated/godfs/raft/v1/Frame.js';
import type { RaftClient } from '../../proto/generated/godfs/raft/v1/Raft.js';
import { raftProto } from '../../proto/load.js';
import type { Entry, Message, NodeId } from './core/types.js';
import type { SnapshotSource } from './storage/types.js';

/**
 * Encodes a message as a Frame: the JSON header carries everything but entry data and snapshot bytes,
 * plus `fa`, the sender's own address when it knows it (a member that was just added, with no
 * configuration yet, learns where to answer from it).
 */
export function encodeFrame(m: Message, fromAddress?: string): Frame {
  const fa = fromAddress ? { fa: fromAddress } : {};
  if (m.type === 'append') {
    const data: Uint8Array[] = [];
    const entries = m.entries.map((e) => {
      if (!e.data) return e;
      data.push(e.data);
      const { data: _omit, ...rest } = e;
      return { ...rest, d: 1 };
    });
    return { header: JSON.stringify({ ...m, entries, ...fa }), data };
  }
  if (m.type === 'snapshot' && m.data) {
    const { data, ...rest } = m;
    return { header: JSON.stringify({ ...rest, ...fa }), snapshot: data };
  }
  return { header: JSON.stringify({ ...m, ...fa }) };
}

/** Decodes a Frame: the message, and the sender's address if it sent one. */
export function decodeFrame(f: Frame__Output): Message & { fa?: string } {
  const m = JSON.parse(f.header) as Message & { fa?: string };
  if (m.type === 'append') {
    let next = 0;
    m.entries = (m.entries as Array<Entry & { d?: 1 }>).map((e) => {
      if (!e.d) return e;
      const data = f.data[next++];
      if (!data) throw new Error('frame is missing entry data');
      const { d: _flag, ...rest } = e;
      return { ...rest, data };
    });
  } else if (m.type === 'snapshot' && f.snapshot.length > 0) {
    m.data = f.snapshot;
  }
  return m;
}

export interface TransportOptions {
  id: NodeId;
  /** Bearer credential presented to peers and required of them. */
  credential: string | undefined;
  /** This member's own address, as its configuration has it (sent along so new members can answer). */
  selfAddress?: () => string | undefined;
  /** The snapshot this member would send (its current one). */
  snapshotSource: () => SnapshotSource | undefined;
  /** A stream to the peer broke or its queue overflowed: the core should probe it again. */
  onUnreachable: (id: NodeId) => void;
  logger: Logger;
  /** Messages queued per peer before the oldest are dropped (default 4096). */
  maxQueue?: number;
  /** Bytes per snapshot piece (default 1 MiB). */
  pieceBytes?: number;
  /** Redial backoff bounds (default 50 ms … 1 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

class Peer {
  #client: RaftClient | undefined;
  #stream: grpc.ClientWritableStream<Frame> | undefined;
  #queue: Message[] = [];
  #pumping = false;
  #retryAt = 0;
  #backoff: number;
  #closed = false;

  constructor(
    readonly id: NodeId,
    readonly address: string,
    readonly opts: Required<Pick<TransportOptions, 'maxQueue' | 'pieceBytes' | 'minBackoffMs' | 'maxBackoffMs'>> & TransportOptions,
  ) {
    this.#backoff = opts.minBackoffMs;
  }

  send(m: Message): void {
    if (this.#closed) return;
    if (Date.now() < this.#retryAt) {
      // Still backing off after a failure: the message would only wait; Raft will resend.
      return;
    }
    this.#queue.push(m);
    if (this.#queue.length > this.opts.maxQueue) {
      this.#queue.splice(0, this.#queue.length - this.opts.maxQueue);
      this.opts.onUnreachable(this.id);
    }
    if (!this.#pumping) void this.#pump();
  }

  #open(): grpc.ClientWritableStream<Frame> {
    if (this.#stream) return this.#stream;
    const Ctor = raftProto().godfs.raft.v1.Raft;
    this.#client ??= new Ctor(this.address, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': 64 * 2 ** 20,
      'grpc.max_receive_message_length': 64 * 2 ** 20,
      'grpc.initial_reconnect_backoff_ms': this.opts.minBackoffMs,
      'grpc.max_reconnect_backoff_ms': this.opts.maxBackoffMs,
    });
    const stream = this.#client.Send(authMetadata(this.opts.credential), (err) => {
      if (this.#stream === stream) this.#stream = undefined;
      if (err && !this.#closed) this.#failed(err);
    });
    stream.on('error', () => undefined); // reported through the callback above
    this.#stream = stream;
    return stream;
  }

  #failed(err: unknown): void {
    this.#queue = [];
    this.#retryAt = Date.now() + this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, this.opts.maxBackoffMs);
    this.opts.logger.debug({ peer: this.id, address: this.address, err: (err as Error).message }, 'raft peer unreachable');
    this.opts.onUnreachable(this.id);
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      while (this.#queue.length && !this.#closed) {
        const m = this.#queue.shift()!;
        let frame: Frame;
        if (m.type === 'snapshot') {
          const piece = await this.#piece(m);
          if (!piece) continue;
          frame = encodeFrame(piece, this.opts.selfAddress?.());
        } else {
          frame = encodeFrame(m, this.opts.selfAddress?.());
        }
        const stream = this.#open();
        if (!stream.write(frame)) {
          await new Promise<void>((resolve) => {
            const done = () => (stream.off('drain', done), stream.off('close', done), resolve());
            stream.on('drain', done);
            stream.on('close', done);
          });
        }
        this.#backoff = this.opts.minBackoffMs;
      }
    } catch (err) {
      this.#stream?.cancel();
      this.#stream = undefined;
      this.#failed(err);
    } finally {
      this.#pumping = false;
    }
  }

  /** Attaches the bytes of the piece the core asked for, or drops it if this member's snapshot moved on. */
  async #piece(m: Extract<Message, { type: 'snapshot' }>): Promise<Message | undefined> {
    const src = this.opts.snapshotSource();
    if (!src || src.meta.index !== m.meta.index || src.meta.term !== m.meta.term) return undefined;
    const data = await src.read(m.offset, this.opts.pieceBytes);
    return { ...m, data, done: m.offset + data.length >= src.size };
  }

  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#stream?.end();
    this.#stream = undefined;
    this.#client?.close();
  }
}

export class GrpcTransport {
  readonly #opts: ConstructorParameters<typeof Peer>[2];
  readonly #peers = new Map<NodeId, Peer>();

  constructor(opts: TransportOptions) {
    this.#opts = { maxQueue: 4096, pieceBytes: 2 ** 20, minBackoffMs: 50, maxBackoffMs: 1000, ...opts };
  }

  /** Sends a message to the member at `address` (the configuration's address for m.to). */
  send(m: Message, address: string): void {
    let peer = this.#peers.get(m.to);
    if (!peer || peer.address !== address) {
      peer?.close();
      peer = new Peer(m.to, address, this.#opts);
      this.#peers.set(m.to, peer);
    }
    peer.send(m);
  }

  /** Forgets members no longer in the configuration. */
  retain(ids: Iterable<NodeId>): void {
    const keep = new Set(ids);
    for (const [id, peer] of this.#peers) {
      if (!keep.has(id)) {
        peer.close();
        this.#peers.delete(id);
      }
    }
  }

  /** The server half: a `Raft.Send` handler that hands each incoming message to `step`. */
  sendHandler(step: (m: Message, fromAddress?: string) => void): grpc.handleClientStreamingCall<Frame__Output, Record<string, never>> {
    return (call, callback) => {
      try {
        checkAuth(call, this.#opts.credential);
      } catch (err) {
        callback(toServiceError(err));
        return;
      }
      let failed = false;
      call.on('data', (f: Frame__Output) => {
        if (failed) return;
        let m: Message & { fa?: string };
        try {
          m = decodeFrame(f);
        } catch (err) {
          failed = true;
          this.#opts.logger.warn({ err }, 'malformed raft frame; closing the stream');
          callback(toServiceError(err));
          return;
        }
        if (m.to !== this.#opts.id) return;
        const { fa, ...msg } = m;
        step(msg as Message, typeof fa === 'string' ? fa : undefined);
      });
      call.on('end', () => {
        if (!failed) callback(null, {});
      });
      call.on('error', () => undefined);
    };
  }

  close(): void {
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
  }
}
