// JSON shapes of /v1 responses (docs/rest-v1.md). Times are whole unix seconds; ETags in JSON are the bare
// value (headers carry the quoted form).
import type { DirEntryInfo, FileInfo, PartInfo } from '../../sdk/types.js';

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function statJson(info: FileInfo) {
  return {
    path: info.path,
    is_dir: info.isDir,
    size: info.size,
    mode: info.mode,
    uid: info.uid,
    gid: info.gid,
    modified_at_unix: unixSeconds(info.mtimeMs),
    created_at_unix: unixSeconds(info.birthMs),
    etag: info.etag,
  };
}

export function entryJson(e: DirEntryInfo) {
  return { name: e.name, is_dir: e.isDir, size: e.size, modified_at_unix: unixSeconds(e.mtimeMs) };
}

export function partJson(p: PartInfo) {
  return { part_number: p.partNumber, size_bytes: p.size, etag: p.etag };
}
