import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AbandonChunksRequest as _godfs_master_v1_AbandonChunksRequest, AbandonChunksRequest__Output as _godfs_master_v1_AbandonChunksRequest__Output } from './godfs/master/v1/AbandonChunksRequest.js';
import type { AccessKey as _godfs_master_v1_AccessKey, AccessKey__Output as _godfs_master_v1_AccessKey__Output } from './godfs/master/v1/AccessKey.js';
import type { AccessKeyRequest as _godfs_master_v1_AccessKeyRequest, AccessKeyRequest__Output as _godfs_master_v1_AccessKeyRequest__Output } from './godfs/master/v1/AccessKeyRequest.js';
import type { AllocateRequest as _godfs_master_v1_AllocateRequest, AllocateRequest__Output as _godfs_master_v1_AllocateRequest__Output } from './godfs/master/v1/AllocateRequest.js';
import type { AllocateResponse as _godfs_master_v1_AllocateResponse, AllocateResponse__Output as _godfs_master_v1_AllocateResponse__Output } from './godfs/master/v1/AllocateResponse.js';
import type { ChunkInfo as _godfs_master_v1_ChunkInfo, ChunkInfo__Output as _godfs_master_v1_ChunkInfo__Output } from './godfs/master/v1/ChunkInfo.js';
import type { ChunkReport as _godfs_master_v1_ChunkReport, ChunkReport__Output as _godfs_master_v1_ChunkReport__Output } from './godfs/master/v1/ChunkReport.js';
import type { ClusterStatsResponse as _godfs_master_v1_ClusterStatsResponse, ClusterStatsResponse__Output as _godfs_master_v1_ClusterStatsResponse__Output } from './godfs/master/v1/ClusterStatsResponse.js';
import type { CommitWriteRequest as _godfs_master_v1_CommitWriteRequest, CommitWriteRequest__Output as _godfs_master_v1_CommitWriteRequest__Output } from './godfs/master/v1/CommitWriteRequest.js';
import type { CompleteUploadRequest as _godfs_master_v1_CompleteUploadRequest, CompleteUploadRequest__Output as _godfs_master_v1_CompleteUploadRequest__Output } from './godfs/master/v1/CompleteUploadRequest.js';
import type { CreateAccessKeyRequest as _godfs_master_v1_CreateAccessKeyRequest, CreateAccessKeyRequest__Output as _godfs_master_v1_CreateAccessKeyRequest__Output } from './godfs/master/v1/CreateAccessKeyRequest.js';
import type { CreateRequest as _godfs_master_v1_CreateRequest, CreateRequest__Output as _godfs_master_v1_CreateRequest__Output } from './godfs/master/v1/CreateRequest.js';
import type { CreateUploadRequest as _godfs_master_v1_CreateUploadRequest, CreateUploadRequest__Output as _godfs_master_v1_CreateUploadRequest__Output } from './godfs/master/v1/CreateUploadRequest.js';
import type { DeleteRequest as _godfs_master_v1_DeleteRequest, DeleteRequest__Output as _godfs_master_v1_DeleteRequest__Output } from './godfs/master/v1/DeleteRequest.js';
import type { DirEntry as _godfs_master_v1_DirEntry, DirEntry__Output as _godfs_master_v1_DirEntry__Output } from './godfs/master/v1/DirEntry.js';
import type { DrainNodeRequest as _godfs_master_v1_DrainNodeRequest, DrainNodeRequest__Output as _godfs_master_v1_DrainNodeRequest__Output } from './godfs/master/v1/DrainNodeRequest.js';
import type { Empty as _godfs_master_v1_Empty, Empty__Output as _godfs_master_v1_Empty__Output } from './godfs/master/v1/Empty.js';
import type { Extent as _godfs_master_v1_Extent, Extent__Output as _godfs_master_v1_Extent__Output } from './godfs/master/v1/Extent.js';
import type { HeartbeatRequest as _godfs_master_v1_HeartbeatRequest, HeartbeatRequest__Output as _godfs_master_v1_HeartbeatRequest__Output } from './godfs/master/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _godfs_master_v1_HeartbeatResponse, HeartbeatResponse__Output as _godfs_master_v1_HeartbeatResponse__Output } from './godfs/master/v1/HeartbeatResponse.js';
import type { Inode as _godfs_master_v1_Inode, Inode__Output as _godfs_master_v1_Inode__Output } from './godfs/master/v1/Inode.js';
import type { ListAccessKeysResponse as _godfs_master_v1_ListAccessKeysResponse, ListAccessKeysResponse__Output as _godfs_master_v1_ListAccessKeysResponse__Output } from './godfs/master/v1/ListAccessKeysResponse.js';
import type { ListChunksRequest as _godfs_master_v1_ListChunksRequest, ListChunksRequest__Output as _godfs_master_v1_ListChunksRequest__Output } from './godfs/master/v1/ListChunksRequest.js';
import type { ListChunksResponse as _godfs_master_v1_ListChunksResponse, ListChunksResponse__Output as _godfs_master_v1_ListChunksResponse__Output } from './godfs/master/v1/ListChunksResponse.js';
import type { ListNodesResponse as _godfs_master_v1_ListNodesResponse, ListNodesResponse__Output as _godfs_master_v1_ListNodesResponse__Output } from './godfs/master/v1/ListNodesResponse.js';
import type { ListPartsResponse as _godfs_master_v1_ListPartsResponse, ListPartsResponse__Output as _godfs_master_v1_ListPartsResponse__Output } from './godfs/master/v1/ListPartsResponse.js';
import type { ListRequest as _godfs_master_v1_ListRequest, ListRequest__Output as _godfs_master_v1_ListRequest__Output } from './godfs/master/v1/ListRequest.js';
import type { ListResponse as _godfs_master_v1_ListResponse, ListResponse__Output as _godfs_master_v1_ListResponse__Output } from './godfs/master/v1/ListResponse.js';
import type { ListUploadsRequest as _godfs_master_v1_ListUploadsRequest, ListUploadsRequest__Output as _godfs_master_v1_ListUploadsRequest__Output } from './godfs/master/v1/ListUploadsRequest.js';
import type { ListUploadsResponse as _godfs_master_v1_ListUploadsResponse, ListUploadsResponse__Output as _godfs_master_v1_ListUploadsResponse__Output } from './godfs/master/v1/ListUploadsResponse.js';
import type { LocateRequest as _godfs_master_v1_LocateRequest, LocateRequest__Output as _godfs_master_v1_LocateRequest__Output } from './godfs/master/v1/LocateRequest.js';
import type { LocateResponse as _godfs_master_v1_LocateResponse, LocateResponse__Output as _godfs_master_v1_LocateResponse__Output } from './godfs/master/v1/LocateResponse.js';
import type { LocatedExtent as _godfs_master_v1_LocatedExtent, LocatedExtent__Output as _godfs_master_v1_LocatedExtent__Output } from './godfs/master/v1/LocatedExtent.js';
import type { MasterClient as _godfs_master_v1_MasterClient, MasterDefinition as _godfs_master_v1_MasterDefinition } from './godfs/master/v1/Master.js';
import type { MkdirRequest as _godfs_master_v1_MkdirRequest, MkdirRequest__Output as _godfs_master_v1_MkdirRequest__Output } from './godfs/master/v1/MkdirRequest.js';
import type { NodeInfo as _godfs_master_v1_NodeInfo, NodeInfo__Output as _godfs_master_v1_NodeInfo__Output } from './godfs/master/v1/NodeInfo.js';
import type { NodeRef as _godfs_master_v1_NodeRef, NodeRef__Output as _godfs_master_v1_NodeRef__Output } from './godfs/master/v1/NodeRef.js';
import type { Part as _godfs_master_v1_Part, Part__Output as _godfs_master_v1_Part__Output } from './godfs/master/v1/Part.js';
import type { PathRequest as _godfs_master_v1_PathRequest, PathRequest__Output as _godfs_master_v1_PathRequest__Output } from './godfs/master/v1/PathRequest.js';
import type { PendingLease as _godfs_master_v1_PendingLease, PendingLease__Output as _godfs_master_v1_PendingLease__Output } from './godfs/master/v1/PendingLease.js';
import type { PutPartRequest as _godfs_master_v1_PutPartRequest, PutPartRequest__Output as _godfs_master_v1_PutPartRequest__Output } from './godfs/master/v1/PutPartRequest.js';
import type { RegisterRequest as _godfs_master_v1_RegisterRequest, RegisterRequest__Output as _godfs_master_v1_RegisterRequest__Output } from './godfs/master/v1/RegisterRequest.js';
import type { RegisterResponse as _godfs_master_v1_RegisterResponse, RegisterResponse__Output as _godfs_master_v1_RegisterResponse__Output } from './godfs/master/v1/RegisterResponse.js';
import type { RenameRequest as _godfs_master_v1_RenameRequest, RenameRequest__Output as _godfs_master_v1_RenameRequest__Output } from './godfs/master/v1/RenameRequest.js';
import type { RenewWriteRequest as _godfs_master_v1_RenewWriteRequest, RenewWriteRequest__Output as _godfs_master_v1_RenewWriteRequest__Output } from './godfs/master/v1/RenewWriteRequest.js';
import type { RenewWriteResponse as _godfs_master_v1_RenewWriteResponse, RenewWriteResponse__Output as _godfs_master_v1_RenewWriteResponse__Output } from './godfs/master/v1/RenewWriteResponse.js';
import type { ReplicaInfo as _godfs_master_v1_ReplicaInfo, ReplicaInfo__Output as _godfs_master_v1_ReplicaInfo__Output } from './godfs/master/v1/ReplicaInfo.js';
import type { ReportBadReplicaRequest as _godfs_master_v1_ReportBadReplicaRequest, ReportBadReplicaRequest__Output as _godfs_master_v1_ReportBadReplicaRequest__Output } from './godfs/master/v1/ReportBadReplicaRequest.js';
import type { SetAttrRequest as _godfs_master_v1_SetAttrRequest, SetAttrRequest__Output as _godfs_master_v1_SetAttrRequest__Output } from './godfs/master/v1/SetAttrRequest.js';
import type { TruncateRequest as _godfs_master_v1_TruncateRequest, TruncateRequest__Output as _godfs_master_v1_TruncateRequest__Output } from './godfs/master/v1/TruncateRequest.js';
import type { Upload as _godfs_master_v1_Upload, Upload__Output as _godfs_master_v1_Upload__Output } from './godfs/master/v1/Upload.js';
import type { UploadRequest as _godfs_master_v1_UploadRequest, UploadRequest__Output as _godfs_master_v1_UploadRequest__Output } from './godfs/master/v1/UploadRequest.js';
import type { WritePrecheck as _godfs_master_v1_WritePrecheck, WritePrecheck__Output as _godfs_master_v1_WritePrecheck__Output } from './godfs/master/v1/WritePrecheck.js';
import type { WrittenExtent as _godfs_master_v1_WrittenExtent, WrittenExtent__Output as _godfs_master_v1_WrittenExtent__Output } from './godfs/master/v1/WrittenExtent.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  godfs: {
    master: {
      v1: {
        AbandonChunksRequest: MessageTypeDefinition<_godfs_master_v1_AbandonChunksRequest, _godfs_master_v1_AbandonChunksRequest__Output>
        AccessKey: MessageTypeDefinition<_godfs_master_v1_AccessKey, _godfs_master_v1_AccessKey__Output>
        AccessKeyRequest: MessageTypeDefinition<_godfs_master_v1_AccessKeyRequest, _godfs_master_v1_AccessKeyRequest__Output>
        AllocateRequest: MessageTypeDefinition<_godfs_master_v1_AllocateRequest, _godfs_master_v1_AllocateRequest__Output>
        AllocateResponse: MessageTypeDefinition<_godfs_master_v1_AllocateResponse, _godfs_master_v1_AllocateResponse__Output>
        ChunkInfo: MessageTypeDefinition<_godfs_master_v1_ChunkInfo, _godfs_master_v1_ChunkInfo__Output>
        ChunkReport: MessageTypeDefinition<_godfs_master_v1_ChunkReport, _godfs_master_v1_ChunkReport__Output>
        ClusterStatsResponse: MessageTypeDefinition<_godfs_master_v1_ClusterStatsResponse, _godfs_master_v1_ClusterStatsResponse__Output>
        CommitMode: EnumTypeDefinition
        CommitWriteRequest: MessageTypeDefinition<_godfs_master_v1_CommitWriteRequest, _godfs_master_v1_CommitWriteRequest__Output>
        CompleteUploadRequest: MessageTypeDefinition<_godfs_master_v1_CompleteUploadRequest, _godfs_master_v1_CompleteUploadRequest__Output>
        CreateAccessKeyRequest: MessageTypeDefinition<_godfs_master_v1_CreateAccessKeyRequest, _godfs_master_v1_CreateAccessKeyRequest__Output>
        CreateRequest: MessageTypeDefinition<_godfs_master_v1_CreateRequest, _godfs_master_v1_CreateRequest__Output>
        CreateUploadRequest: MessageTypeDefinition<_godfs_master_v1_CreateUploadRequest, _godfs_master_v1_CreateUploadRequest__Output>
        DeleteRequest: MessageTypeDefinition<_godfs_master_v1_DeleteRequest, _godfs_master_v1_DeleteRequest__Output>
        DirEntry: MessageTypeDefinition<_godfs_master_v1_DirEntry, _godfs_master_v1_DirEntry__Output>
        DrainNodeRequest: MessageTypeDefinition<_godfs_master_v1_DrainNodeRequest, _godfs_master_v1_DrainNodeRequest__Output>
        Empty: MessageTypeDefinition<_godfs_master_v1_Empty, _godfs_master_v1_Empty__Output>
        Extent: MessageTypeDefinition<_godfs_master_v1_Extent, _godfs_master_v1_Extent__Output>
        HeartbeatRequest: MessageTypeDefinition<_godfs_master_v1_HeartbeatRequest, _godfs_master_v1_HeartbeatRequest__Output>
        HeartbeatResponse: MessageTypeDefinition<_godfs_master_v1_HeartbeatResponse, _godfs_master_v1_HeartbeatResponse__Output>
        Inode: MessageTypeDefinition<_godfs_master_v1_Inode, _godfs_master_v1_Inode__Output>
        InodeType: EnumTypeDefinition
        ListAccessKeysResponse: MessageTypeDefinition<_godfs_master_v1_ListAccessKeysResponse, _godfs_master_v1_ListAccessKeysResponse__Output>
        ListChunksRequest: MessageTypeDefinition<_godfs_master_v1_ListChunksRequest, _godfs_master_v1_ListChunksRequest__Output>
        ListChunksResponse: MessageTypeDefinition<_godfs_master_v1_ListChunksResponse, _godfs_master_v1_ListChunksResponse__Output>
        ListNodesResponse: MessageTypeDefinition<_godfs_master_v1_ListNodesResponse, _godfs_master_v1_ListNodesResponse__Output>
        ListPartsResponse: MessageTypeDefinition<_godfs_master_v1_ListPartsResponse, _godfs_master_v1_ListPartsResponse__Output>
        ListRequest: MessageTypeDefinition<_godfs_master_v1_ListRequest, _godfs_master_v1_ListRequest__Output>
        ListResponse: MessageTypeDefinition<_godfs_master_v1_ListResponse, _godfs_master_v1_ListResponse__Output>
        ListUploadsRequest: MessageTypeDefinition<_godfs_master_v1_ListUploadsRequest, _godfs_master_v1_ListUploadsRequest__Output>
        ListUploadsResponse: MessageTypeDefinition<_godfs_master_v1_ListUploadsResponse, _godfs_master_v1_ListUploadsResponse__Output>
        LocateRequest: MessageTypeDefinition<_godfs_master_v1_LocateRequest, _godfs_master_v1_LocateRequest__Output>
        LocateResponse: MessageTypeDefinition<_godfs_master_v1_LocateResponse, _godfs_master_v1_LocateResponse__Output>
        LocatedExtent: MessageTypeDefinition<_godfs_master_v1_LocatedExtent, _godfs_master_v1_LocatedExtent__Output>
        Master: SubtypeConstructor<typeof grpc.Client, _godfs_master_v1_MasterClient> & { service: _godfs_master_v1_MasterDefinition }
        MkdirRequest: MessageTypeDefinition<_godfs_master_v1_MkdirRequest, _godfs_master_v1_MkdirRequest__Output>
        NodeInfo: MessageTypeDefinition<_godfs_master_v1_NodeInfo, _godfs_master_v1_NodeInfo__Output>
        NodeRef: MessageTypeDefinition<_godfs_master_v1_NodeRef, _godfs_master_v1_NodeRef__Output>
        Part: MessageTypeDefinition<_godfs_master_v1_Part, _godfs_master_v1_Part__Output>
        PathRequest: MessageTypeDefinition<_godfs_master_v1_PathRequest, _godfs_master_v1_PathRequest__Output>
        PendingLease: MessageTypeDefinition<_godfs_master_v1_PendingLease, _godfs_master_v1_PendingLease__Output>
        PutPartRequest: MessageTypeDefinition<_godfs_master_v1_PutPartRequest, _godfs_master_v1_PutPartRequest__Output>
        RegisterRequest: MessageTypeDefinition<_godfs_master_v1_RegisterRequest, _godfs_master_v1_RegisterRequest__Output>
        RegisterResponse: MessageTypeDefinition<_godfs_master_v1_RegisterResponse, _godfs_master_v1_RegisterResponse__Output>
        RenameRequest: MessageTypeDefinition<_godfs_master_v1_RenameRequest, _godfs_master_v1_RenameRequest__Output>
        RenewWriteRequest: MessageTypeDefinition<_godfs_master_v1_RenewWriteRequest, _godfs_master_v1_RenewWriteRequest__Output>
        RenewWriteResponse: MessageTypeDefinition<_godfs_master_v1_RenewWriteResponse, _godfs_master_v1_RenewWriteResponse__Output>
        ReplicaInfo: MessageTypeDefinition<_godfs_master_v1_ReplicaInfo, _godfs_master_v1_ReplicaInfo__Output>
        ReportBadReplicaRequest: MessageTypeDefinition<_godfs_master_v1_ReportBadReplicaRequest, _godfs_master_v1_ReportBadReplicaRequest__Output>
        SetAttrRequest: MessageTypeDefinition<_godfs_master_v1_SetAttrRequest, _godfs_master_v1_SetAttrRequest__Output>
        TruncateRequest: MessageTypeDefinition<_godfs_master_v1_TruncateRequest, _godfs_master_v1_TruncateRequest__Output>
        Upload: MessageTypeDefinition<_godfs_master_v1_Upload, _godfs_master_v1_Upload__Output>
        UploadRequest: MessageTypeDefinition<_godfs_master_v1_UploadRequest, _godfs_master_v1_UploadRequest__Output>
        WritePrecheck: MessageTypeDefinition<_godfs_master_v1_WritePrecheck, _godfs_master_v1_WritePrecheck__Output>
        WrittenExtent: MessageTypeDefinition<_godfs_master_v1_WrittenExtent, _godfs_master_v1_WrittenExtent__Output>
      }
    }
  }
}

