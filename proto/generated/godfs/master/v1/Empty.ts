// Original file: proto/master.proto


export interface Empty {
}

export interface Empty__Output {
}
