// Original file: proto/master.proto

export const InodeType = {
  INODE_TYPE_UNSPECIFIED: 'INODE_TYPE_UNSPECIFIED',
  FILE: 'FILE',
  DIR: 'DIR',
  SYMLINK: 'SYMLINK',
} as const;

export type InodeType =
  | 'INODE_TYPE_UNSPECIFIED'
  | 0
  | 'FILE'
  | 1
  | 'DIR'
  | 2
  | 'SYMLINK'
  | 3

export type InodeType__Output = typeof InodeType[keyof typeof InodeType]
