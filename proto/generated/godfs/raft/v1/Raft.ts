// Original file: proto/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChangeRequest as _godfs_raft_v1_ChangeRequest, ChangeRequest__Output as _godfs_raft_v1_ChangeRequest__Output } from '../../../godfs/raft/v1/ChangeRequest.js';
import type { Empty as _godfs_raft_v1_Empty, Empty__Output as _godfs_raft_v1_Empty__Output } from '../../../godfs/raft/v1/Empty.js';
import type { Frame as _godfs_raft_v1_Frame, Frame__Output as _godfs_raft_v1_Frame__Output } from '../../../godfs/raft/v1/Frame.js';
import type { StatusResponse as _godfs_raft_v1_StatusResponse, StatusResponse__Output as _godfs_raft_v1_StatusResponse__Output } from '../../../godfs/raft/v1/StatusResponse.js';
import type { TransferRequest as _godfs_raft_v1_TransferRequest, TransferRequest__Output as _godfs_raft_v1_TransferRequest__Output } from '../../../godfs/raft/v1/TransferRequest.js';

export interface RaftClient extends grpc.Client {
  Change(argument: _godfs_raft_v1_ChangeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Change(argument: _godfs_raft_v1_ChangeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Change(argument: _godfs_raft_v1_ChangeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Change(argument: _godfs_raft_v1_ChangeRequest, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  change(argument: _godfs_raft_v1_ChangeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  change(argument: _godfs_raft_v1_ChangeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  change(argument: _godfs_raft_v1_ChangeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  change(argument: _godfs_raft_v1_ChangeRequest, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  
  Send(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_Empty__Output>): grpc.ClientWritableStream<_godfs_raft_v1_Frame>;
  Send(metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_raft_v1_Empty__Output>): grpc.ClientWritableStream<_godfs_raft_v1_Frame>;
  Send(options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_Empty__Output>): grpc.ClientWritableStream<_godfs_raft_v1_Frame>;
  Send(callback: grpc.requestCallback<_godfs_raft_v1_Empty__Output>): grpc.ClientWritableStream<_godfs_raft_v1_Frame>;
  send(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_Empty__Output>): grpc.ClientWritableStream<_godfs_raft_v1_Frame>;
  send(metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_raft_v1_Empty__Output>): grpc.ClientWritableStream<_godfs_raft_v1_Frame>;
  send(options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_Empty__Output>): grpc.ClientWritableStream<_godfs_raft_v1_Frame>;
  send(callback: grpc.requestCallback<_godfs_raft_v1_Empty__Output>): grpc.ClientWritableStream<_godfs_raft_v1_Frame>;
  
  Status(argument: _godfs_raft_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _godfs_raft_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _godfs_raft_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _godfs_raft_v1_Empty, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _godfs_raft_v1_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _godfs_raft_v1_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _godfs_raft_v1_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _godfs_raft_v1_Empty, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  
  Transfer(argument: _godfs_raft_v1_TransferRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Transfer(argument: _godfs_raft_v1_TransferRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Transfer(argument: _godfs_raft_v1_TransferRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Transfer(argument: _godfs_raft_v1_TransferRequest, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  transfer(argument: _godfs_raft_v1_TransferRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  transfer(argument: _godfs_raft_v1_TransferRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  transfer(argument: _godfs_raft_v1_TransferRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  transfer(argument: _godfs_raft_v1_TransferRequest, callback: grpc.requestCallback<_godfs_raft_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  Change: grpc.handleUnaryCall<_godfs_raft_v1_ChangeRequest__Output, _godfs_raft_v1_StatusResponse>;
  
  Send: grpc.handleClientStreamingCall<_godfs_raft_v1_Frame__Output, _godfs_raft_v1_Empty>;
  
  Status: grpc.handleUnaryCall<_godfs_raft_v1_Empty__Output, _godfs_raft_v1_StatusResponse>;
  
  Transfer: grpc.handleUnaryCall<_godfs_raft_v1_TransferRequest__Output, _godfs_raft_v1_StatusResponse>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  Change: MethodDefinition<_godfs_raft_v1_ChangeRequest, _godfs_raft_v1_StatusResponse, _godfs_raft_v1_ChangeRequest__Output, _godfs_raft_v1_StatusResponse__Output>
  Send: MethodDefinition<_godfs_raft_v1_Frame, _godfs_raft_v1_Empty, _godfs_raft_v1_Frame__Output, _godfs_raft_v1_Empty__Output>
  Status: MethodDefinition<_godfs_raft_v1_Empty, _godfs_raft_v1_StatusResponse, _godfs_raft_v1_Empty__Output, _godfs_raft_v1_StatusResponse__Output>
  Transfer: MethodDefinition<_godfs_raft_v1_TransferRequest, _godfs_raft_v1_StatusResponse, _godfs_raft_v1_TransferRequest__Output, _godfs_raft_v1_StatusResponse__Output>
}
