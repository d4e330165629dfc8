// Original file: proto/chunkserver.proto


export interface Empty {
}

export interface Empty__Output {
}
