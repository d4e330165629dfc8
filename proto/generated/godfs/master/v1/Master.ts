// Original file: proto/master.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AbandonChunksRequest as _godfs_master_v1_AbandonChunksRequest, AbandonChunksRequest__Output as _godfs_master_v1_AbandonChunksRequest__Output } from '../../../godfs/master/v1/AbandonChunksRequest.js';
import type { AccessKey as _godfs_master_v1_AccessKey, AccessKey__Output as _godfs_master_v1_AccessKey__Output } from '../../../godfs/master/v1/AccessKey.js';
import type { AccessKeyRequest as _godfs_master_v1_AccessKeyRequest, AccessKeyRequest__Output as _godfs_master_v1_AccessKeyRequest__Output } from '../../../godfs/master/v1/AccessKeyRequest.js';
import type { AllocateRequest as _godfs_master_v1_AllocateRequest, AllocateRequest__Output as _godfs_master_v1_AllocateRequest__Output } from '../../../godfs/master/v1/AllocateRequest.js';
import type { AllocateResponse as _godfs_master_v1_AllocateResponse, AllocateResponse__Output as _godfs_master_v1_AllocateResponse__Output } from '../../../godfs/master/v1/AllocateResponse.js';
import type { ClusterStatsResponse as _godfs_master_v1_ClusterStatsResponse, ClusterStatsResponse__Output as _godfs_master_v1_ClusterStatsResponse__Output } from '../../../godfs/master/v1/ClusterStatsResponse.js';
import type { CommitWriteRequest as _godfs_master_v1_CommitWriteRequest, CommitWriteRequest__Output as _godfs_master_v1_CommitWriteRequest__Output } from '../../../godfs/master/v1/CommitWriteRequest.js';
import type { CompleteUploadRequest as _godfs_master_v1_CompleteUploadRequest, CompleteUploadRequest__Output as _godfs_master_v1_CompleteUploadRequest__Output } from '../../../godfs/master/v1/CompleteUploadRequest.js';
import type { CreateAccessKeyRequest as _godfs_master_v1_CreateAccessKeyRequest, CreateAccessKeyRequest__Output as _godfs_master_v1_CreateAccessKeyRequest__Output } from '../../../godfs/master/v1/CreateAccessKeyRequest.js';
import type { CreateRequest as _godfs_master_v1_CreateRequest, CreateRequest__Output as _godfs_master_v1_CreateRequest__Output } from '../../../godfs/master/v1/CreateRequest.js';
import type { CreateUploadRequest as _godfs_master_v1_CreateUploadRequest, CreateUploadRequest__Output as _godfs_master_v1_CreateUploadRequest__Output } from '../../../godfs/master/v1/CreateUploadRequest.js';
import type { DeleteRequest as _godfs_master_v1_DeleteRequest, DeleteRequest__Output as _godfs_master_v1_DeleteRequest__Output } from '../../../godfs/master/v1/DeleteRequest.js';
import type { DrainNodeRequest as _godfs_master_v1_DrainNodeRequest, DrainNodeRequest__Output as _godfs_master_v1_DrainNodeRequest__Output } from '../../../godfs/master/v1/DrainNodeRequest.js';
import type { Empty as _godfs_master_v1_Empty, Empty__Output as _godfs_master_v1_Empty__Output } from '../../../godfs/master/v1/Empty.js';
import type { HeartbeatRequest as _godfs_master_v1_HeartbeatRequest, HeartbeatRequest__Output as _godfs_master_v1_HeartbeatRequest__Output } from '../../../godfs/master/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _godfs_master_v1_HeartbeatResponse, HeartbeatResponse__Output as _godfs_master_v1_HeartbeatResponse__Output } from '../../../godfs/master/v1/HeartbeatResponse.js';
import type { Inode as _godfs_master_v1_Inode, Inode__Output as _godfs_master_v1_Inode__Output } from '../../../godfs/master/v1/Inode.js';
import type { ListAccessKeysResponse as _godfs_master_v1_ListAccessKeysResponse, ListAccessKeysResponse__Output as _godfs_master_v1_ListAccessKeysResponse__Output } from '../../../godfs/master/v1/ListAccessKeysResponse.js';
import type { ListChunksRequest as _godfs_master_v1_ListChunksRequest, ListChunksRequest__Output as _godfs_master_v1_ListChunksRequest__Output } from '../../../godfs/master/v1/ListChunksRequest.js';
import type { ListChunksResponse as _godfs_master_v1_ListChunksResponse, ListChunksResponse__Output as _godfs_master_v1_ListChunksResponse__Output } from '../../../godfs/master/v1/ListChunksResponse.js';
import type { ListNodesResponse as _godfs_master_v1_ListNodesResponse, ListNodesResponse__Output as _godfs_master_v1_ListNodesResponse__Output } from '../../../godfs/master/v1/ListNodesResponse.js';
import type { ListPartsResponse as _godfs_master_v1_ListPartsResponse, ListPartsResponse__Output as _godfs_master_v1_ListPartsResponse__Output } from '../../../godfs/master/v1/ListPartsResponse.js';
import type { ListRequest as _godfs_master_v1_ListRequest, ListRequest__Output as _godfs_master_v1_ListRequest__Output } from '../../../godfs/master/v1/ListRequest.js';
import type { ListResponse as _godfs_master_v1_ListResponse, ListResponse__Output as _godfs_master_v1_ListResponse__Output } from '../../../godfs/master/v1/ListResponse.js';
import type { ListUploadsRequest as _godfs_master_v1_ListUploadsRequest, ListUploadsRequest__Output as _godfs_master_v1_ListUploadsRequest__Output } from '../../../godfs/master/v1/ListUploadsRequest.js';
import type { ListUploadsResponse as _godfs_master_v1_ListUploadsResponse, ListUploadsResponse__Output as _godfs_master_v1_ListUploadsResponse__Output } from '../../../godfs/master/v1/ListUploadsResponse.js';
import type { LocateRequest as _godfs_master_v1_LocateRequest, LocateRequest__Output as _godfs_master_v1_LocateRequest__Output } from '../../../godfs/master/v1/LocateRequest.js';
import type { LocateResponse as _godfs_master_v1_LocateResponse, LocateResponse__Output as _godfs_master_v1_LocateResponse__Output } from '../../../godfs/master/v1/LocateResponse.js';
import type { MkdirRequest as _godfs_master_v1_MkdirRequest, MkdirRequest__Output as _godfs_master_v1_MkdirRequest__Output } from '../../../godfs/master/v1/MkdirRequest.js';
import type { NodeInfo as _godfs_master_v1_NodeInfo, NodeInfo__Output as _godfs_master_v1_NodeInfo__Output } from '../../../godfs/master/v1/NodeInfo.js';
import type { Part as _godfs_master_v1_Part, Part__Output as _godfs_master_v1_Part__Output } from '../../../godfs/master/v1/Part.js';
import type { PathRequest as _godfs_master_v1_PathRequest, PathRequest__Output as _godfs_master_v1_PathRequest__Output } from '../../../godfs/master/v1/PathRequest.js';
import type { PutPartRequest as _godfs_master_v1_PutPartRequest, PutPartRequest__Output as _godfs_master_v1_PutPartRequest__Output } from '../../../godfs/master/v1/PutPartRequest.js';
import type { RegisterRequest as _godfs_master_v1_RegisterRequest, RegisterRequest__Output as _godfs_master_v1_RegisterRequest__Output } from '../../../godfs/master/v1/RegisterRequest.js';
import type { RegisterResponse as _godfs_master_v1_RegisterResponse, RegisterResponse__Output as _godfs_master_v1_RegisterResponse__Output } from '../../../godfs/master/v1/RegisterResponse.js';
import type { RenameRequest as _godfs_master_v1_RenameRequest, RenameRequest__Output as _godfs_master_v1_RenameRequest__Output } from '../../../godfs/master/v1/RenameRequest.js';
import type { RenewWriteRequest as _godfs_master_v1_RenewWriteRequest, RenewWriteRequest__Output as _godfs_master_v1_RenewWriteRequest__Output } from '../../../godfs/master/v1/RenewWriteRequest.js';
import type { RenewWriteResponse as _godfs_master_v1_RenewWriteResponse, RenewWriteResponse__Output as _godfs_master_v1_RenewWriteResponse__Output } from '../../../godfs/master/v1/RenewWriteResponse.js';
import type { ReportBadReplicaRequest as _godfs_master_v1_ReportBadReplicaRequest, ReportBadReplicaRequest__Output as _godfs_master_v1_ReportBadReplicaRequest__Output } from '../../../godfs/master/v1/ReportBadReplicaRequest.js';
import type { SetAttrRequest as _godfs_master_v1_SetAttrRequest, SetAttrRequest__Output as _godfs_master_v1_SetAttrRequest__Output } from '../../../godfs/master/v1/SetAttrRequest.js';
import type { TruncateRequest as _godfs_master_v1_TruncateRequest, TruncateRequest__Output as _godfs_master_v1_TruncateRequest__Output } from '../../../godfs/master/v1/TruncateRequest.js';
import type { Upload as _godfs_master_v1_Upload, Upload__Output as _godfs_master_v1_Upload__Output } from '../../../godfs/master/v1/Upload.js';
import type { UploadRequest as _godfs_master_v1_UploadRequest, UploadRequest__Output as _godfs_master_v1_UploadRequest__Output } from '../../../godfs/master/v1/UploadRequest.js';

export interface MasterClient extends grpc.Client {
  AbandonChunks(argument: _godfs_master_v1_AbandonChunksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  AbandonChunks(argument: _godfs_master_v1_AbandonChunksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  AbandonChunks(argument: _godfs_master_v1_AbandonChunksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  AbandonChunks(argument: _godfs_master_v1_AbandonChunksRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  abandonChunks(argument: _godfs_master_v1_AbandonChunksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  abandonChunks(argument: _godfs_master_v1_AbandonChunksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  abandonChunks(argument: _godfs_master_v1_AbandonChunksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  abandonChunks(argument: _godfs_master_v1_AbandonChunksRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  AbortUpload(argument: _godfs_master_v1_UploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  AbortUpload(argument: _godfs_master_v1_UploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  AbortUpload(argument: _godfs_master_v1_UploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  AbortUpload(argument: _godfs_master_v1_UploadRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  abortUpload(argument: _godfs_master_v1_UploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  abortUpload(argument: _godfs_master_v1_UploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  abortUpload(argument: _godfs_master_v1_UploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  abortUpload(argument: _godfs_master_v1_UploadRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  AllocateChunk(argument: _godfs_master_v1_AllocateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_AllocateResponse__Output>): grpc.ClientUnaryCall;
  AllocateChunk(argument: _godfs_master_v1_AllocateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_AllocateResponse__Output>): grpc.ClientUnaryCall;
  AllocateChunk(argument: _godfs_master_v1_AllocateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_AllocateResponse__Output>): grpc.ClientUnaryCall;
  AllocateChunk(argument: _godfs_master_v1_AllocateRequest, callback: grpc.requestCallback<_godfs_master_v1_AllocateResponse__Output>): grpc.ClientUnaryCall;
  allocateChunk(argument: _godfs_master_v1_AllocateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_AllocateResponse__Output>): grpc.ClientUnaryCall;
  allocateChunk(argument: _godfs_master_v1_AllocateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_AllocateResponse__Output>): grpc.ClientUnaryCall;
  allocateChunk(argument: _godfs_master_v1_AllocateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_AllocateResponse__Output>): grpc.ClientUnaryCall;
  allocateChunk(argument: _godfs_master_v1_AllocateRequest, callback: grpc.requestCallback<_godfs_master_v1_AllocateResponse__Output>): grpc.ClientUnaryCall;
  
  ClusterStats(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ClusterStatsResponse__Output>): grpc.ClientUnaryCall;
  ClusterStats(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ClusterStatsResponse__Output>): grpc.ClientUnaryCall;
  ClusterStats(argument: _godfs_master_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ClusterStatsResponse__Output>): grpc.ClientUnaryCall;
  ClusterStats(argument: _godfs_master_v1_Empty, callback: grpc.requestCallback<_godfs_master_v1_ClusterStatsResponse__Output>): grpc.ClientUnaryCall;
  clusterStats(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ClusterStatsResponse__Output>): grpc.ClientUnaryCall;
  clusterStats(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ClusterStatsResponse__Output>): grpc.ClientUnaryCall;
  clusterStats(argument: _godfs_master_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ClusterStatsResponse__Output>): grpc.ClientUnaryCall;
  clusterStats(argument: _godfs_master_v1_Empty, callback: grpc.requestCallback<_godfs_master_v1_ClusterStatsResponse__Output>): grpc.ClientUnaryCall;
  
  CommitWrite(argument: _godfs_master_v1_CommitWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  CommitWrite(argument: _godfs_master_v1_CommitWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  CommitWrite(argument: _godfs_master_v1_CommitWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  CommitWrite(argument: _godfs_master_v1_CommitWriteRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  commitWrite(argument: _godfs_master_v1_CommitWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  commitWrite(argument: _godfs_master_v1_CommitWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  commitWrite(argument: _godfs_master_v1_CommitWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  commitWrite(argument: _godfs_master_v1_CommitWriteRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  
  CompleteUpload(argument: _godfs_master_v1_CompleteUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  CompleteUpload(argument: _godfs_master_v1_CompleteUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  CompleteUpload(argument: _godfs_master_v1_CompleteUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  CompleteUpload(argument: _godfs_master_v1_CompleteUploadRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  completeUpload(argument: _godfs_master_v1_CompleteUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  completeUpload(argument: _godfs_master_v1_CompleteUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  completeUpload(argument: _godfs_master_v1_CompleteUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  completeUpload(argument: _godfs_master_v1_CompleteUploadRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _godfs_master_v1_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Create(argument: _godfs_master_v1_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Create(argument: _godfs_master_v1_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Create(argument: _godfs_master_v1_CreateRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  create(argument: _godfs_master_v1_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  create(argument: _godfs_master_v1_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  create(argument: _godfs_master_v1_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  create(argument: _godfs_master_v1_CreateRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  
  CreateAccessKey(argument: _godfs_master_v1_CreateAccessKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_AccessKey__Output>): grpc.ClientUnaryCall;
  CreateAccessKey(argument: _godfs_master_v1_CreateAccessKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_AccessKey__Output>): grpc.ClientUnaryCall;
  CreateAccessKey(argument: _godfs_master_v1_CreateAccessKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_AccessKey__Output>): grpc.ClientUnaryCall;
  CreateAccessKey(argument: _godfs_master_v1_CreateAccessKeyRequest, callback: grpc.requestCallback<_godfs_master_v1_AccessKey__Output>): grpc.ClientUnaryCall;
  createAccessKey(argument: _godfs_master_v1_CreateAccessKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_AccessKey__Output>): grpc.ClientUnaryCall;
  createAccessKey(argument: _godfs_master_v1_CreateAccessKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_AccessKey__Output>): grpc.ClientUnaryCall;
  createAccessKey(argument: _godfs_master_v1_CreateAccessKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_AccessKey__Output>): grpc.ClientUnaryCall;
  createAccessKey(argument: _godfs_master_v1_CreateAccessKeyRequest, callback: grpc.requestCallback<_godfs_master_v1_AccessKey__Output>): grpc.ClientUnaryCall;
  
  CreateUpload(argument: _godfs_master_v1_CreateUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Upload__Output>): grpc.ClientUnaryCall;
  CreateUpload(argument: _godfs_master_v1_CreateUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Upload__Output>): grpc.ClientUnaryCall;
  CreateUpload(argument: _godfs_master_v1_CreateUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Upload__Output>): grpc.ClientUnaryCall;
  CreateUpload(argument: _godfs_master_v1_CreateUploadRequest, callback: grpc.requestCallback<_godfs_master_v1_Upload__Output>): grpc.ClientUnaryCall;
  createUpload(argument: _godfs_master_v1_CreateUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Upload__Output>): grpc.ClientUnaryCall;
  createUpload(argument: _godfs_master_v1_CreateUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Upload__Output>): grpc.ClientUnaryCall;
  createUpload(argument: _godfs_master_v1_CreateUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Upload__Output>): grpc.ClientUnaryCall;
  createUpload(argument: _godfs_master_v1_CreateUploadRequest, callback: grpc.requestCallback<_godfs_master_v1_Upload__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _godfs_master_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _godfs_master_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _godfs_master_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  Delete(argument: _godfs_master_v1_DeleteRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _godfs_master_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _godfs_master_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _godfs_master_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  delete(argument: _godfs_master_v1_DeleteRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  DrainNode(argument: _godfs_master_v1_DrainNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  DrainNode(argument: _godfs_master_v1_DrainNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  DrainNode(argument: _godfs_master_v1_DrainNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  DrainNode(argument: _godfs_master_v1_DrainNodeRequest, callback: grpc.requestCallback<_godfs_master_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  drainNode(argument: _godfs_master_v1_DrainNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  drainNode(argument: _godfs_master_v1_DrainNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  drainNode(argument: _godfs_master_v1_DrainNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  drainNode(argument: _godfs_master_v1_DrainNodeRequest, callback: grpc.requestCallback<_godfs_master_v1_NodeInfo__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(argument: _godfs_master_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _godfs_master_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _godfs_master_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _godfs_master_v1_HeartbeatRequest, callback: grpc.requestCallback<_godfs_master_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _godfs_master_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _godfs_master_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _godfs_master_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _godfs_master_v1_HeartbeatRequest, callback: grpc.requestCallback<_godfs_master_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  List(argument: _godfs_master_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _godfs_master_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _godfs_master_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _godfs_master_v1_ListRequest, callback: grpc.requestCallback<_godfs_master_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _godfs_master_v1_ListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _godfs_master_v1_ListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _godfs_master_v1_ListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _godfs_master_v1_ListRequest, callback: grpc.requestCallback<_godfs_master_v1_ListResponse__Output>): grpc.ClientUnaryCall;
  
  ListAccessKeys(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListAccessKeysResponse__Output>): grpc.ClientUnaryCall;
  ListAccessKeys(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListAccessKeysResponse__Output>): grpc.ClientUnaryCall;
  ListAccessKeys(argument: _godfs_master_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListAccessKeysResponse__Output>): grpc.ClientUnaryCall;
  ListAccessKeys(argument: _godfs_master_v1_Empty, callback: grpc.requestCallback<_godfs_master_v1_ListAccessKeysResponse__Output>): grpc.ClientUnaryCall;
  listAccessKeys(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListAccessKeysResponse__Output>): grpc.ClientUnaryCall;
  listAccessKeys(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListAccessKeysResponse__Output>): grpc.ClientUnaryCall;
  listAccessKeys(argument: _godfs_master_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListAccessKeysResponse__Output>): grpc.ClientUnaryCall;
  listAccessKeys(argument: _godfs_master_v1_Empty, callback: grpc.requestCallback<_godfs_master_v1_ListAccessKeysResponse__Output>): grpc.ClientUnaryCall;
  
  ListChunks(argument: _godfs_master_v1_ListChunksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListChunksResponse__Output>): grpc.ClientUnaryCall;
  ListChunks(argument: _godfs_master_v1_ListChunksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListChunksResponse__Output>): grpc.ClientUnaryCall;
  ListChunks(argument: _godfs_master_v1_ListChunksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListChunksResponse__Output>): grpc.ClientUnaryCall;
  ListChunks(argument: _godfs_master_v1_ListChunksRequest, callback: grpc.requestCallback<_godfs_master_v1_ListChunksResponse__Output>): grpc.ClientUnaryCall;
  listChunks(argument: _godfs_master_v1_ListChunksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListChunksResponse__Output>): grpc.ClientUnaryCall;
  listChunks(argument: _godfs_master_v1_ListChunksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListChunksResponse__Output>): grpc.ClientUnaryCall;
  listChunks(argument: _godfs_master_v1_ListChunksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListChunksResponse__Output>): grpc.ClientUnaryCall;
  listChunks(argument: _godfs_master_v1_ListChunksRequest, callback: grpc.requestCallback<_godfs_master_v1_ListChunksResponse__Output>): grpc.ClientUnaryCall;
  
  ListNodes(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _godfs_master_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _godfs_master_v1_Empty, callback: grpc.requestCallback<_godfs_master_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _godfs_master_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _godfs_master_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _godfs_master_v1_Empty, callback: grpc.requestCallback<_godfs_master_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  ListParts(argument: _godfs_master_v1_UploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListPartsResponse__Output>): grpc.ClientUnaryCall;
  ListParts(argument: _godfs_master_v1_UploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListPartsResponse__Output>): grpc.ClientUnaryCall;
  ListParts(argument: _godfs_master_v1_UploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListPartsResponse__Output>): grpc.ClientUnaryCall;
  ListParts(argument: _godfs_master_v1_UploadRequest, callback: grpc.requestCallback<_godfs_master_v1_ListPartsResponse__Output>): grpc.ClientUnaryCall;
  listParts(argument: _godfs_master_v1_UploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListPartsResponse__Output>): grpc.ClientUnaryCall;
  listParts(argument: _godfs_master_v1_UploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListPartsResponse__Output>): grpc.ClientUnaryCall;
  listParts(argument: _godfs_master_v1_UploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListPartsResponse__Output>): grpc.ClientUnaryCall;
  listParts(argument: _godfs_master_v1_UploadRequest, callback: grpc.requestCallback<_godfs_master_v1_ListPartsResponse__Output>): grpc.ClientUnaryCall;
  
  ListUploads(argument: _godfs_master_v1_ListUploadsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListUploadsResponse__Output>): grpc.ClientUnaryCall;
  ListUploads(argument: _godfs_master_v1_ListUploadsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListUploadsResponse__Output>): grpc.ClientUnaryCall;
  ListUploads(argument: _godfs_master_v1_ListUploadsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListUploadsResponse__Output>): grpc.ClientUnaryCall;
  ListUploads(argument: _godfs_master_v1_ListUploadsRequest, callback: grpc.requestCallback<_godfs_master_v1_ListUploadsResponse__Output>): grpc.ClientUnaryCall;
  listUploads(argument: _godfs_master_v1_ListUploadsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListUploadsResponse__Output>): grpc.ClientUnaryCall;
  listUploads(argument: _godfs_master_v1_ListUploadsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_ListUploadsResponse__Output>): grpc.ClientUnaryCall;
  listUploads(argument: _godfs_master_v1_ListUploadsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_ListUploadsResponse__Output>): grpc.ClientUnaryCall;
  listUploads(argument: _godfs_master_v1_ListUploadsRequest, callback: grpc.requestCallback<_godfs_master_v1_ListUploadsResponse__Output>): grpc.ClientUnaryCall;
  
  Locate(argument: _godfs_master_v1_LocateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  Locate(argument: _godfs_master_v1_LocateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  Locate(argument: _godfs_master_v1_LocateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  Locate(argument: _godfs_master_v1_LocateRequest, callback: grpc.requestCallback<_godfs_master_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  locate(argument: _godfs_master_v1_LocateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  locate(argument: _godfs_master_v1_LocateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  locate(argument: _godfs_master_v1_LocateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  locate(argument: _godfs_master_v1_LocateRequest, callback: grpc.requestCallback<_godfs_master_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  
  Lstat(argument: _godfs_master_v1_PathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Lstat(argument: _godfs_master_v1_PathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Lstat(argument: _godfs_master_v1_PathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Lstat(argument: _godfs_master_v1_PathRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  lstat(argument: _godfs_master_v1_PathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  lstat(argument: _godfs_master_v1_PathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  lstat(argument: _godfs_master_v1_PathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  lstat(argument: _godfs_master_v1_PathRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  
  Mkdir(argument: _godfs_master_v1_MkdirRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Mkdir(argument: _godfs_master_v1_MkdirRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Mkdir(argument: _godfs_master_v1_MkdirRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Mkdir(argument: _godfs_master_v1_MkdirRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  mkdir(argument: _godfs_master_v1_MkdirRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  mkdir(argument: _godfs_master_v1_MkdirRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  mkdir(argument: _godfs_master_v1_MkdirRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  mkdir(argument: _godfs_master_v1_MkdirRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  
  PutPart(argument: _godfs_master_v1_PutPartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Part__Output>): grpc.ClientUnaryCall;
  PutPart(argument: _godfs_master_v1_PutPartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Part__Output>): grpc.ClientUnaryCall;
  PutPart(argument: _godfs_master_v1_PutPartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Part__Output>): grpc.ClientUnaryCall;
  PutPart(argument: _godfs_master_v1_PutPartRequest, callback: grpc.requestCallback<_godfs_master_v1_Part__Output>): grpc.ClientUnaryCall;
  putPart(argument: _godfs_master_v1_PutPartRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Part__Output>): grpc.ClientUnaryCall;
  putPart(argument: _godfs_master_v1_PutPartRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Part__Output>): grpc.ClientUnaryCall;
  putPart(argument: _godfs_master_v1_PutPartRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Part__Output>): grpc.ClientUnaryCall;
  putPart(argument: _godfs_master_v1_PutPartRequest, callback: grpc.requestCallback<_godfs_master_v1_Part__Output>): grpc.ClientUnaryCall;
  
  Register(argument: _godfs_master_v1_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _godfs_master_v1_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _godfs_master_v1_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  Register(argument: _godfs_master_v1_RegisterRequest, callback: grpc.requestCallback<_godfs_master_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _godfs_master_v1_RegisterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _godfs_master_v1_RegisterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _godfs_master_v1_RegisterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  register(argument: _godfs_master_v1_RegisterRequest, callback: grpc.requestCallback<_godfs_master_v1_RegisterResponse__Output>): grpc.ClientUnaryCall;
  
  Rename(argument: _godfs_master_v1_RenameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  Rename(argument: _godfs_master_v1_RenameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  Rename(argument: _godfs_master_v1_RenameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  Rename(argument: _godfs_master_v1_RenameRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  rename(argument: _godfs_master_v1_RenameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  rename(argument: _godfs_master_v1_RenameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  rename(argument: _godfs_master_v1_RenameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  rename(argument: _godfs_master_v1_RenameRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  RenewWrite(argument: _godfs_master_v1_RenewWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_RenewWriteResponse__Output>): grpc.ClientUnaryCall;
  RenewWrite(argument: _godfs_master_v1_RenewWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_RenewWriteResponse__Output>): grpc.ClientUnaryCall;
  RenewWrite(argument: _godfs_master_v1_RenewWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_RenewWriteResponse__Output>): grpc.ClientUnaryCall;
  RenewWrite(argument: _godfs_master_v1_RenewWriteRequest, callback: grpc.requestCallback<_godfs_master_v1_RenewWriteResponse__Output>): grpc.ClientUnaryCall;
  renewWrite(argument: _godfs_master_v1_RenewWriteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_RenewWriteResponse__Output>): grpc.ClientUnaryCall;
  renewWrite(argument: _godfs_master_v1_RenewWriteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_RenewWriteResponse__Output>): grpc.ClientUnaryCall;
  renewWrite(argument: _godfs_master_v1_RenewWriteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_RenewWriteResponse__Output>): grpc.ClientUnaryCall;
  renewWrite(argument: _godfs_master_v1_RenewWriteRequest, callback: grpc.requestCallback<_godfs_master_v1_RenewWriteResponse__Output>): grpc.ClientUnaryCall;
  
  ReportBadReplica(argument: _godfs_master_v1_ReportBadReplicaRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  ReportBadReplica(argument: _godfs_master_v1_ReportBadReplicaRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  ReportBadReplica(argument: _godfs_master_v1_ReportBadReplicaRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  ReportBadReplica(argument: _godfs_master_v1_ReportBadReplicaRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  reportBadReplica(argument: _godfs_master_v1_ReportBadReplicaRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  reportBadReplica(argument: _godfs_master_v1_ReportBadReplicaRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  reportBadReplica(argument: _godfs_master_v1_ReportBadReplicaRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  reportBadReplica(argument: _godfs_master_v1_ReportBadReplicaRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  RevokeAccessKey(argument: _godfs_master_v1_AccessKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  RevokeAccessKey(argument: _godfs_master_v1_AccessKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  RevokeAccessKey(argument: _godfs_master_v1_AccessKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  RevokeAccessKey(argument: _godfs_master_v1_AccessKeyRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  revokeAccessKey(argument: _godfs_master_v1_AccessKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  revokeAccessKey(argument: _godfs_master_v1_AccessKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  revokeAccessKey(argument: _godfs_master_v1_AccessKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  revokeAccessKey(argument: _godfs_master_v1_AccessKeyRequest, callback: grpc.requestCallback<_godfs_master_v1_Empty__Output>): grpc.ClientUnaryCall;
  
  SetAttr(argument: _godfs_master_v1_SetAttrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _godfs_master_v1_SetAttrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _godfs_master_v1_SetAttrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _godfs_master_v1_SetAttrRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _godfs_master_v1_SetAttrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _godfs_master_v1_SetAttrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _godfs_master_v1_SetAttrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _godfs_master_v1_SetAttrRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  
  Stat(argument: _godfs_master_v1_PathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Stat(argument: _godfs_master_v1_PathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Stat(argument: _godfs_master_v1_PathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Stat(argument: _godfs_master_v1_PathRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  stat(argument: _godfs_master_v1_PathRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  stat(argument: _godfs_master_v1_PathRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  stat(argument: _godfs_master_v1_PathRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  stat(argument: _godfs_master_v1_PathRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  
  Truncate(argument: _godfs_master_v1_TruncateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Truncate(argument: _godfs_master_v1_TruncateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Truncate(argument: _godfs_master_v1_TruncateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  Truncate(argument: _godfs_master_v1_TruncateRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  truncate(argument: _godfs_master_v1_TruncateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  truncate(argument: _godfs_master_v1_TruncateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  truncate(argument: _godfs_master_v1_TruncateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  truncate(argument: _godfs_master_v1_TruncateRequest, callback: grpc.requestCallback<_godfs_master_v1_Inode__Output>): grpc.ClientUnaryCall;
  
}

export interface MasterHandlers extends grpc.UntypedServiceImplementation {
  AbandonChunks: grpc.handleUnaryCall<_godfs_master_v1_AbandonChunksRequest__Output, _godfs_master_v1_Empty>;
  
  AbortUpload: grpc.handleUnaryCall<_godfs_master_v1_UploadRequest__Output, _godfs_master_v1_Empty>;
  
  AllocateChunk: grpc.handleUnaryCall<_godfs_master_v1_AllocateRequest__Output, _godfs_master_v1_AllocateResponse>;
  
  ClusterStats: grpc.handleUnaryCall<_godfs_master_v1_Empty__Output, _godfs_master_v1_ClusterStatsResponse>;
  
  CommitWrite: grpc.handleUnaryCall<_godfs_master_v1_CommitWriteRequest__Output, _godfs_master_v1_Inode>;
  
  CompleteUpload: grpc.handleUnaryCall<_godfs_master_v1_CompleteUploadRequest__Output, _godfs_master_v1_Inode>;
  
  Create: grpc.handleUnaryCall<_godfs_master_v1_CreateRequest__Output, _godfs_master_v1_Inode>;
  
  CreateAccessKey: grpc.handleUnaryCall<_godfs_master_v1_CreateAccessKeyRequest__Output, _godfs_master_v1_AccessKey>;
  
  CreateUpload: grpc.handleUnaryCall<_godfs_master_v1_CreateUploadRequest__Output, _godfs_master_v1_Upload>;
  
  Delete: grpc.handleUnaryCall<_godfs_master_v1_DeleteRequest__Output, _godfs_master_v1_Empty>;
  
  DrainNode: grpc.handleUnaryCall<_godfs_master_v1_DrainNodeRequest__Output, _godfs_master_v1_NodeInfo>;
  
  Heartbeat: grpc.handleUnaryCall<_godfs_master_v1_HeartbeatRequest__Output, _godfs_master_v1_HeartbeatResponse>;
  
  List: grpc.handleUnaryCall<_godfs_master_v1_ListRequest__Output, _godfs_master_v1_ListResponse>;
  
  ListAccessKeys: grpc.handleUnaryCall<_godfs_master_v1_Empty__Output, _godfs_master_v1_ListAccessKeysResponse>;
  
  ListChunks: grpc.handleUnaryCall<_godfs_master_v1_ListChunksRequest__Output, _godfs_master_v1_ListChunksResponse>;
  
  ListNodes: grpc.handleUnaryCall<_godfs_master_v1_Empty__Output, _godfs_master_v1_ListNodesResponse>;
  
  ListParts: grpc.handleUnaryCall<_godfs_master_v1_UploadRequest__Output, _godfs_master_v1_ListPartsResponse>;
  
  ListUploads: grpc.handleUnaryCall<_godfs_master_v1_ListUploadsRequest__Output, _godfs_master_v1_ListUploadsResponse>;
  
  Locate: grpc.handleUnaryCall<_godfs_master_v1_LocateRequest__Output, _godfs_master_v1_LocateResponse>;
  
  Lstat: grpc.handleUnaryCall<_godfs_master_v1_PathRequest__Output, _godfs_master_v1_Inode>;
  
  Mkdir: grpc.handleUnaryCall<_godfs_master_v1_MkdirRequest__Output, _godfs_master_v1_Inode>;
  
  PutPart: grpc.handleUnaryCall<_godfs_master_v1_PutPartRequest__Output, _godfs_master_v1_Part>;
  
  Register: grpc.handleUnaryCall<_godfs_master_v1_RegisterRequest__Output, _godfs_master_v1_RegisterResponse>;
  
  Rename: grpc.handleUnaryCall<_godfs_master_v1_RenameRequest__Output, _godfs_master_v1_Empty>;
  
  RenewWrite: grpc.handleUnaryCall<_godfs_master_v1_RenewWriteRequest__Output, _godfs_master_v1_RenewWriteResponse>;
  
  ReportBadReplica: grpc.handleUnaryCall<_godfs_master_v1_ReportBadReplicaRequest__Output, _godfs_master_v1_Empty>;
  
  RevokeAccessKey: grpc.handleUnaryCall<_godfs_master_v1_AccessKeyRequest__Output, _godfs_master_v1_Empty>;
  
  SetAttr: grpc.handleUnaryCall<_godfs_master_v1_SetAttrRequest__Output, _godfs_master_v1_Inode>;
  
  Stat: grpc.handleUnaryCall<_godfs_master_v1_PathRequest__Output, _godfs_master_v1_Inode>;
  
  Truncate: grpc.handleUnaryCall<_godfs_master_v1_TruncateRequest__Output, _godfs_master_v1_Inode>;
  
}

export interface MasterDefinition extends grpc.ServiceDefinition {
  AbandonChunks: MethodDefinition<_godfs_master_v1_AbandonChunksRequest, _godfs_master_v1_Empty, _godfs_master_v1_AbandonChunksRequest__Output, _godfs_master_v1_Empty__Output>
  AbortUpload: MethodDefinition<_godfs_master_v1_UploadRequest, _godfs_master_v1_Empty, _godfs_master_v1_UploadRequest__Output, _godfs_master_v1_Empty__Output>
  AllocateChunk: MethodDefinition<_godfs_master_v1_AllocateRequest, _godfs_master_v1_AllocateResponse, _godfs_master_v1_AllocateRequest__Output, _godfs_master_v1_AllocateResponse__Output>
  ClusterStats: MethodDefinition<_godfs_master_v1_Empty, _godfs_master_v1_ClusterStatsResponse, _godfs_master_v1_Empty__Output, _godfs_master_v1_ClusterStatsResponse__Output>
  CommitWrite: MethodDefinition<_godfs_master_v1_CommitWriteRequest, _godfs_master_v1_Inode, _godfs_master_v1_CommitWriteRequest__Output, _godfs_master_v1_Inode__Output>
  CompleteUpload: MethodDefinition<_godfs_master_v1_CompleteUploadRequest, _godfs_master_v1_Inode, _godfs_master_v1_CompleteUploadRequest__Output, _godfs_master_v1_Inode__Output>
  Create: MethodDefinition<_godfs_master_v1_CreateRequest, _godfs_master_v1_Inode, _godfs_master_v1_CreateRequest__Output, _godfs_master_v1_Inode__Output>
  CreateAccessKey: MethodDefinition<_godfs_master_v1_CreateAccessKeyRequest, _godfs_master_v1_AccessKey, _godfs_master_v1_CreateAccessKeyRequest__Output, _godfs_master_v1_AccessKey__Output>
  CreateUpload: MethodDefinition<_godfs_master_v1_CreateUploadRequest, _godfs_master_v1_Upload, _godfs_master_v1_CreateUploadRequest__Output, _godfs_master_v1_Upload__Output>
  Delete: MethodDefinition<_godfs_master_v1_DeleteRequest, _godfs_master_v1_Empty, _godfs_master_v1_DeleteRequest__Output, _godfs_master_v1_Empty__Output>
  DrainNode: MethodDefinition<_godfs_master_v1_DrainNodeRequest, _godfs_master_v1_NodeInfo, _godfs_master_v1_DrainNodeRequest__Output, _godfs_master_v1_NodeInfo__Output>
  Heartbeat: MethodDefinition<_godfs_master_v1_HeartbeatRequest, _godfs_master_v1_HeartbeatResponse, _godfs_master_v1_HeartbeatRequest__Output, _godfs_master_v1_HeartbeatResponse__Output>
  List: MethodDefinition<_godfs_master_v1_ListRequest, _godfs_master_v1_ListResponse, _godfs_master_v1_ListRequest__Output, _godfs_master_v1_ListResponse__Output>
  ListAccessKeys: MethodDefinition<_godfs_master_v1_Empty, _godfs_master_v1_ListAccessKeysResponse, _godfs_master_v1_Empty__Output, _godfs_master_v1_ListAccessKeysResponse__Output>
  ListChunks: MethodDefinition<_godfs_master_v1_ListChunksRequest, _godfs_master_v1_ListChunksResponse, _godfs_master_v1_ListChunksRequest__Output, _godfs_master_v1_ListChunksResponse__Output>
  ListNodes: MethodDefinition<_godfs_master_v1_Empty, _godfs_master_v1_ListNodesResponse, _godfs_master_v1_Empty__Output, _godfs_master_v1_ListNodesResponse__Output>
  ListParts: MethodDefinition<_godfs_master_v1_UploadRequest, _godfs_master_v1_ListPartsResponse, _godfs_master_v1_UploadRequest__Output, _godfs_master_v1_ListPartsResponse__Output>
  ListUploads: MethodDefinition<_godfs_master_v1_ListUploadsRequest, _godfs_master_v1_ListUploadsResponse, _godfs_master_v1_ListUploadsRequest__Output, _godfs_master_v1_ListUploadsResponse__Output>
  Locate: MethodDefinition<_godfs_master_v1_LocateRequest, _godfs_master_v1_LocateResponse, _godfs_master_v1_LocateRequest__Output, _godfs_master_v1_LocateResponse__Output>
  Lstat: MethodDefinition<_godfs_master_v1_PathRequest, _godfs_master_v1_Inode, _godfs_master_v1_PathRequest__Output, _godfs_master_v1_Inode__Output>
  Mkdir: MethodDefinition<_godfs_master_v1_MkdirRequest, _godfs_master_v1_Inode, _godfs_master_v1_MkdirRequest__Output, _godfs_master_v1_Inode__Output>
  PutPart: MethodDefinition<_godfs_master_v1_PutPartRequest, _godfs_master_v1_Part, _godfs_master_v1_PutPartRequest__Output, _godfs_master_v1_Part__Output>
  Register: MethodDefinition<_godfs_master_v1_RegisterRequest, _godfs_master_v1_RegisterResponse, _godfs_master_v1_RegisterRequest__Output, _godfs_master_v1_RegisterResponse__Output>
  Rename: MethodDefinition<_godfs_master_v1_RenameRequest, _godfs_master_v1_Empty, _godfs_master_v1_RenameRequest__Output, _godfs_master_v1_Empty__Output>
  RenewWrite: MethodDefinition<_godfs_master_v1_RenewWriteRequest, _godfs_master_v1_RenewWriteResponse, _godfs_master_v1_RenewWriteRequest__Output, _godfs_master_v1_RenewWriteResponse__Output>
  ReportBadReplica: MethodDefinition<_godfs_master_v1_ReportBadReplicaRequest, _godfs_master_v1_Empty, _godfs_master_v1_ReportBadReplicaRequest__Output, _godfs_master_v1_Empty__Output>
  RevokeAccessKey: MethodDefinition<_godfs_master_v1_AccessKeyRequest, _godfs_master_v1_Empty, _godfs_master_v1_AccessKeyRequest__Output, _godfs_master_v1_Empty__Output>
  SetAttr: MethodDefinition<_godfs_master_v1_SetAttrRequest, _godfs_master_v1_Inode, _godfs_master_v1_SetAttrRequest__Output, _godfs_master_v1_Inode__Output>
  Stat: MethodDefinition<_godfs_master_v1_PathRequest, _godfs_master_v1_Inode, _godfs_master_v1_PathRequest__Output, _godfs_master_v1_Inode__Output>
  Truncate: MethodDefinition<_godfs_master_v1_TruncateRequest, _godfs_master_v1_Inode, _godfs_master_v1_TruncateRequest__Output, _godfs_master_v1_Inode__Output>
}
