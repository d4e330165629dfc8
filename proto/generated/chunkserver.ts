import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ChunkIds as _godfs_chunkserver_v1_ChunkIds, ChunkIds__Output as _godfs_chunkserver_v1_ChunkIds__Output } from './godfs/chunkserver/v1/ChunkIds.js';
import type { ChunkStat as _godfs_chunkserver_v1_ChunkStat, ChunkStat__Output as _godfs_chunkserver_v1_ChunkStat__Output } from './godfs/chunkserver/v1/ChunkStat.js';
import type { ChunkserverClient as _godfs_chunkserver_v1_ChunkserverClient, ChunkserverDefinition as _godfs_chunkserver_v1_ChunkserverDefinition } from './godfs/chunkserver/v1/Chunkserver.js';
import type { DeleteChunksResponse as _godfs_chunkserver_v1_DeleteChunksResponse, DeleteChunksResponse__Output as _godfs_chunkserver_v1_DeleteChunksResponse__Output } from './godfs/chunkserver/v1/DeleteChunksResponse.js';
import type { Empty as _godfs_chunkserver_v1_Empty, Empty__Output as _godfs_chunkserver_v1_Empty__Output } from './godfs/chunkserver/v1/Empty.js';
import type { ReplicateRequest as _godfs_chunkserver_v1_ReplicateRequest, ReplicateRequest__Output as _godfs_chunkserver_v1_ReplicateRequest__Output } from './godfs/chunkserver/v1/ReplicateRequest.js';
import type { ServerStats as _godfs_chunkserver_v1_ServerStats, ServerStats__Output as _godfs_chunkserver_v1_ServerStats__Output } from './godfs/chunkserver/v1/ServerStats.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  godfs: {
    chunkserver: {
      v1: {
        ChunkIds: MessageTypeDefinition<_godfs_chunkserver_v1_ChunkIds, _godfs_chunkserver_v1_ChunkIds__Output>
        ChunkStat: MessageTypeDefinition<_godfs_chunkserver_v1_ChunkStat, _godfs_chunkserver_v1_ChunkStat__Output>
        Chunkserver: SubtypeConstructor<typeof grpc.Client, _godfs_chunkserver_v1_ChunkserverClient> & { service: _godfs_chunkserver_v1_ChunkserverDefinition }
        DeleteChunksResponse: MessageTypeDefinition<_godfs_chunkserver_v1_DeleteChunksResponse, _godfs_chunkserver_v1_DeleteChunksResponse__Output>
        Empty: MessageTypeDefinition<_godfs_chunkserver_v1_Empty, _godfs_chunkserver_v1_Empty__Output>
        ReplicateRequest: MessageTypeDefinition<_godfs_chunkserver_v1_ReplicateRequest, _godfs_chunkserver_v1_ReplicateRequest__Output>
        ServerStats: MessageTypeDefinition<_godfs_chunkserver_v1_ServerStats, _godfs_chunkserver_v1_ServerStats__Output>
      }
    }
  }
}

