// Original file: proto/master.proto


export interface DrainNodeRequest {
  'node_id'?: (string);
  'cancel'?: (boolean);
}

export interface DrainNodeRequest__Output {
  'node_id': (string);
  'cancel': (boolean);
}
