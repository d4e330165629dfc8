// The master's gRPC clients to chunkservers' control services (proto/chunkserver.proto), one channel
// per control address, reused across calls.
import * as grpc from '@grpc/grpc-js';
import { authMetadata, fromServiceError } from '../../common/grpc.js';
import { chunkserverProto } from '../../proto/load.js';
import type { ChunkserverClient } from '../../proto/generated/godfs/chunkserver/v1/Chunkserver.js';
import type { ChunkStat__Output } from '../../proto/generated/godfs/chunkserver/v1/ChunkStat.js';

export class ChunkserverClients {
  #apiKey: string | undefined;
  #clients = new Map<string, ChunkserverClient>();

  constructor(apiKey: string | undefined) {
    this.#apiKey = apiKey;
  }

  #client(addr: string): ChunkserverClient {
    let c = this.#clients.get(addr);
    if (!c) {
      c = new (chunkserverProto().godfs.chunkserver.v1.Chunkserver)(addr, grpc.credentials.createInsecure(), {
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 2000,
      });
      this.#clients.set(addr, c);
    }
    return c;
  }

  /** Asks the chunkserver at `controlAddr` to copy a chunk from `sourceAddr` (a data address). */
  replicate(controlAddr: string, chunkId: number, version: number, sourceAddr: string, timeoutMs: number): Promise<ChunkStat__Output> {
    return new Promise((resolve, reject) => {
      this.#client(controlAddr).Replicate(
        { chunk_id: chunkId, version, source_addr: sourceAddr },
        authMetadata(this.#apiKey),
        { deadline: Date.now() + timeoutMs },
        (err, res) => (err ? reject(fromServiceError(err)) : res ? resolve(res) : reject(new Error('empty reply'))),
      );
    });
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}
