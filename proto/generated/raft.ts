import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ChangeRequest as _godfs_raft_v1_ChangeRequest, ChangeRequest__Output as _godfs_raft_v1_ChangeRequest__Output } from './godfs/raft/v1/ChangeRequest.js';
import type { Empty as _godfs_raft_v1_Empty, Empty__Output as _godfs_raft_v1_Empty__Output } from './godfs/raft/v1/Empty.js';
import type { Frame as _godfs_raft_v1_Frame, Frame__Output as _godfs_raft_v1_Frame__Output } from './godfs/raft/v1/Frame.js';
import type { Member as _godfs_raft_v1_Member, Member__Output as _godfs_raft_v1_Member__Output } from './godfs/raft/v1/Member.js';
import type { RaftClient as _godfs_raft_v1_RaftClient, RaftDefinition as _godfs_raft_v1_RaftDefinition } from './godfs/raft/v1/Raft.js';
import type { StatusResponse as _godfs_raft_v1_StatusResponse, StatusResponse__Output as _godfs_raft_v1_StatusResponse__Output } from './godfs/raft/v1/StatusResponse.js';
import type { TransferRequest as _godfs_raft_v1_TransferRequest, TransferRequest__Output as _godfs_raft_v1_TransferRequest__Output } from './godfs/raft/v1/TransferRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  godfs: {
    raft: {
      v1: {
        ChangeRequest: MessageTypeDefinition<_godfs_raft_v1_ChangeRequest, _godfs_raft_v1_ChangeRequest__Output>
        Empty: MessageTypeDefinition<_godfs_raft_v1_Empty, _godfs_raft_v1_Empty__Output>
        Frame: MessageTypeDefinition<_godfs_raft_v1_Frame, _godfs_raft_v1_Frame__Output>
        Member: MessageTypeDefinition<_godfs_raft_v1_Member, _godfs_raft_v1_Member__Output>
        Raft: SubtypeConstructor<typeof grpc.Client, _godfs_raft_v1_RaftClient> & { service: _godfs_raft_v1_RaftDefinition }
        StatusResponse: MessageTypeDefinition<_godfs_raft_v1_StatusResponse, _godfs_raft_v1_StatusResponse__Output>
        TransferRequest: MessageTypeDefinition<_godfs_raft_v1_TransferRequest, _godfs_raft_v1_TransferRequest__Output>
      }
    }
  }
}

