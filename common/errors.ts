// The one table of godfs error codes. Every layer raises a GodfsError carrying one
// of these codes: the master maps it to a gRPC status plus a `godfs-code` trailer, the sdk turns that
// back into the same typed error, and the gateway renders it as `/v1` JSON (and, later, S3 XML).
// docs/errors.md is checked against this table by cli/errors-doc.test.ts.

export const errorTable = {
  invalid_argument: { status: 400, grpc: 3, message: 'The request is invalid.' },
  invalid_path: { status: 400, grpc: 3, message: 'The path is not valid.' },
  unauthenticated: { status: 401, grpc: 16, message: 'Credentials are missing or not valid.' },
  permission_denied: { status: 403, grpc: 7, message: 'The credentials do not allow this operation.' },
  not_found: { status: 404, grpc: 5, message: 'No such file or directory.' },
  not_a_directory: { status: 409, grpc: 9, message: 'A component of the path is not a directory.' },
  is_a_directory: { status: 409, grpc: 9, message: 'The path is a directory.' },
  already_exists: { status: 409, grpc: 6, message: 'The path already exists.' },
  not_empty: { status: 409, grpc: 9, message: 'The directory is not empty.' },
  conflict: { status: 409, grpc: 10, message: 'The operation conflicts with the current state.' },
  precondition_failed: { status: 412, grpc: 9, message: 'A precondition of the request does not hold.' },
  too_large: { status: 413, grpc: 11, message: 'The request body is larger than allowed.' },
  invalid_range: { status: 416, grpc: 11, message: 'The requested range cannot be satisfied.' },
  rate_limited: { status: 429, grpc: 8, message: 'Too many requests.' },
  internal: { status: 500, grpc: 13, message: 'Internal error.' },
  not_implemented: { status: 501, grpc: 12, message: 'Not implemented.' },
  unavailable: { status: 503, grpc: 14, message: 'The service is unavailable; retry later.' },
  not_leader: { status: 503, grpc: 14, message: 'This master is not the leader; retry on the leader.' },
  checksum_mismatch: { status: 503, grpc: 15, message: 'Stored data failed checksum verification on every replica.' },
  no_space: { status: 507, grpc: 8, message: 'No chunkserver has room for the data.' },
} as const satisfies Record<string, { status: number; grpc: number; message: string }>;

export type ErrorCode = keyof typeof errorTable;

export const errorCodes = Object.keys(errorTable) as ErrorCode[];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(errorTable, code);
}

export class GodfsError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** not_leader: the leader's address when the refusing master knows it (the `godfs-leader` trailer). */
  leader?: string;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; leader?: string }) {
    super(message ?? errorTable[code].message, options);
    if (options?.leader) this.leader = options.leader;
    this.code = code;
    this.status = errorTable[code].status;
    this.name = GodfsError.classNameOf(code);
  }

  /** `not_found` → `NotFoundError` (the typed-error names the sdk documents). */
  static classNameOf(code: ErrorCode): string {
    return code.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase()) + 'Error';
  }
}

function make(code: ErrorCode) {
  return class extends GodfsError {
    constructor(message?: string, options?: { cause?: unknown }) {
      super(code, message, options);
    }
    static override [Symbol.hasInstance](v: unknown): boolean {
      return v instanceof GodfsError && v.code === code;
    }
  };
}

// Typed errors, one per code that callers branch on (`err instanceof NotFoundError`).
export const NotFoundError = make('not_found');
export const AlreadyExistsError = make('already_exists');
export const NotEmptyError = make('not_empty');
export const NotADirectoryError = make('not_a_directory');
export const IsADirectoryError = make('is_a_directory');
export const InvalidPathError = make('invalid_path');
export const InvalidArgumentError = make('invalid_argument');
export const ChecksumMismatchError = make('checksum_mismatch');
export const UnavailableError = make('unavailable');
export const NotLeaderError = make('not_leader');
export const PreconditionFailedError = make('precondition_failed');
export const PermissionDeniedError = make('permission_denied');
export const UnauthenticatedError = make('unauthenticated');
export const NoSpaceError = make('no_space');
export const InvalidRangeError = make('invalid_range');
export const TooLargeError = make('too_large');

export function errorCodeOf(err: unknown): ErrorCode {
  return err instanceof GodfsError ? err.code : 'internal';
}
