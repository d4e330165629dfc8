// Original file: proto/chunkserver.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChunkIds as _godfs_chunkserver_v1_ChunkIds, ChunkIds__Output as _godfs_chunkserver_v1_ChunkIds__Output } from '../../../godfs/chunkserver/v1/ChunkIds.js';
import type { ChunkStat as _godfs_chunkserver_v1_ChunkStat, ChunkStat__Output as _godfs_chunkserver_v1_ChunkStat__Output } from '../../../godfs/chunkserver/v1/ChunkStat.js';
import type { DeleteChunksResponse as _godfs_chunkserver_v1_DeleteChunksResponse, DeleteChunksResponse__Output as _godfs_chunkserver_v1_DeleteChunksResponse__Output } from '../../../godfs/chunkserver/v1/DeleteChunksResponse.js';
import type { Empty as _godfs_chunkserver_v1_Empty, Empty__Output as _godfs_chunkserver_v1_Empty__Output } from '../../../godfs/chunkserver/v1/Empty.js';
import type { ReplicateRequest as _godfs_chunkserver_v1_ReplicateRequest, ReplicateRequest__Output as _godfs_chunkserver_v1_ReplicateRequest__Output } from '../../../godfs/chunkserver/v1/ReplicateRequest.js';
import type { ServerStats as _godfs_chunkserver_v1_ServerStats, ServerStats__Output as _godfs_chunkserver_v1_ServerStats__Output } from '../../../godfs/chunkserver/v1/ServerStats.js';

export interface ChunkserverClient extends grpc.Client {
  DeleteChunks(argument: _godfs_chunkserver_v1_ChunkIds, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_DeleteChunksResponse__Output>): grpc.ClientUnaryCall;
  DeleteChunks(argument: _godfs_chunkserver_v1_ChunkIds, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_chunkserver_v1_DeleteChunksResponse__Output>): grpc.ClientUnaryCall;
  DeleteChunks(argument: _godfs_chunkserver_v1_ChunkIds, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_DeleteChunksResponse__Output>): grpc.ClientUnaryCall;
  DeleteChunks(argument: _godfs_chunkserver_v1_ChunkIds, callback: grpc.requestCallback<_godfs_chunkserver_v1_DeleteChunksResponse__Output>): grpc.ClientUnaryCall;
  deleteChunks(argument: _godfs_chunkserver_v1_ChunkIds, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_DeleteChunksResponse__Output>): grpc.ClientUnaryCall;
  deleteChunks(argument: _godfs_chunkserver_v1_ChunkIds, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_chunkserver_v1_DeleteChunksResponse__Output>): grpc.ClientUnaryCall;
  deleteChunks(argument: _godfs_chunkserver_v1_ChunkIds, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_DeleteChunksResponse__Output>): grpc.ClientUnaryCall;
  deleteChunks(argument: _godfs_chunkserver_v1_ChunkIds, callback: grpc.requestCallback<_godfs_chunkserver_v1_DeleteChunksResponse__Output>): grpc.ClientUnaryCall;
  
  Replicate(argument: _godfs_chunkserver_v1_ReplicateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  Replicate(argument: _godfs_chunkserver_v1_ReplicateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  Replicate(argument: _godfs_chunkserver_v1_ReplicateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  Replicate(argument: _godfs_chunkserver_v1_ReplicateRequest, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  replicate(argument: _godfs_chunkserver_v1_ReplicateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  replicate(argument: _godfs_chunkserver_v1_ReplicateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  replicate(argument: _godfs_chunkserver_v1_ReplicateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  replicate(argument: _godfs_chunkserver_v1_ReplicateRequest, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  
  StatChunk(argument: _godfs_chunkserver_v1_ChunkIds, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  StatChunk(argument: _godfs_chunkserver_v1_ChunkIds, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  StatChunk(argument: _godfs_chunkserver_v1_ChunkIds, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  StatChunk(argument: _godfs_chunkserver_v1_ChunkIds, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  statChunk(argument: _godfs_chunkserver_v1_ChunkIds, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  statChunk(argument: _godfs_chunkserver_v1_ChunkIds, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  statChunk(argument: _godfs_chunkserver_v1_ChunkIds, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  statChunk(argument: _godfs_chunkserver_v1_ChunkIds, callback: grpc.requestCallback<_godfs_chunkserver_v1_ChunkStat__Output>): grpc.ClientUnaryCall;
  
  Stats(argument: _godfs_chunkserver_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ServerStats__Output>): grpc.ClientUnaryCall;
  Stats(argument: _godfs_chunkserver_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_chunkserver_v1_ServerStats__Output>): grpc.ClientUnaryCall;
  Stats(argument: _godfs_chunkserver_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ServerStats__Output>): grpc.ClientUnaryCall;
  Stats(argument: _godfs_chunkserver_v1_Empty, callback: grpc.requestCallback<_godfs_chunkserver_v1_ServerStats__Output>): grpc.ClientUnaryCall;
  stats(argument: _godfs_chunkserver_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ServerStats__Output>): grpc.ClientUnaryCall;
  stats(argument: _godfs_chunkserver_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_chunkserver_v1_ServerStats__Output>): grpc.ClientUnaryCall;
  stats(argument: _godfs_chunkserver_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_chunkserver_v1_ServerStats__Output>): grpc.ClientUnaryCall;
  stats(argument: _godfs_chunkserver_v1_Empty, callback: grpc.requestCallback<_godfs_chunkserver_v1_ServerStats__Output>): grpc.ClientUnaryCall;
  
}

export interface ChunkserverHandlers extends grpc.UntypedServiceImplementation {
  DeleteChunks: grpc.handleUnaryCall<_godfs_chunkserver_v1_ChunkIds__Output, _godfs_chunkserver_v1_DeleteChunksResponse>;
  
  Replicate: grpc.handleUnaryCall<_godfs_chunkserver_v1_ReplicateRequest__Output, _godfs_chunkserver_v1_ChunkStat>;
  
  StatChunk: grpc.handleUnaryCall<_godfs_chunkserver_v1_ChunkIds__Output, _godfs_chunkserver_v1_ChunkStat>;
  
  Stats: grpc.handleUnaryCall<_godfs_chunkserver_v1_Empty__Output, _godfs_chunkserver_v1_ServerStats>;
  
}

export interface ChunkserverDefinition extends grpc.ServiceDefinition {
  DeleteChunks: MethodDefinition<_godfs_chunkserver_v1_ChunkIds, _godfs_chunkserver_v1_DeleteChunksResponse, _godfs_chunkserver_v1_ChunkIds__Output, _godfs_chunkserver_v1_DeleteChunksResponse__Output>
  Replicate: MethodDefinition<_godfs_chunkserver_v1_ReplicateRequest, _godfs_chunkserver_v1_ChunkStat, _godfs_chunkserver_v1_ReplicateRequest__Output, _godfs_chunkserver_v1_ChunkStat__Output>
  StatChunk: MethodDefinition<_godfs_chunkserver_v1_ChunkIds, _godfs_chunkserver_v1_ChunkStat, _godfs_chunkserver_v1_ChunkIds__Output, _godfs_chunkserver_v1_ChunkStat__Output>
  Stats: MethodDefinition<_godfs_chunkserver_v1_Empty, _godfs_chunkserver_v1_ServerStats, _godfs_chunkserver_v1_Empty__Output, _godfs_chunkserver_v1_ServerStats__Output>
}
