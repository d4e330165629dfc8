// Original file: proto/chunkserver.proto


export interface DeleteChunksResponse {
  'deleted'?: (number);
}

export interface DeleteChunksResponse__Output {
  'deleted': (number);
}
