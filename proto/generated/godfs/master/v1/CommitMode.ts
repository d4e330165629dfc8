// Original file: proto/master.proto

export const CommitMode = {
  COMMIT_MODE_UNSPECIFIED: 'COMMIT_MODE_UNSPECIFIED',
  REPLACE: 'REPLACE',
  WRITE_AT: 'WRITE_AT',
} as const;

export type CommitMode =
  | 'COMMIT_MODE_UNSPECIFIED'
  | 0
  | 'REPLACE'
  | 1
  | 'WRITE_AT'
  | 2

export type CommitMode__Output = typeof CommitMode[keyof typeof CommitMode]
