// Extent-list arithmetic. A file is an ordered list of extents over write-once chunks; chunkId 0 is a
// hole that reads as zeros. Replace, writeAt, truncate and multipart complete are all splices of these
// lists — metadata operations that copy no bytes (docs/architecture.md).

export interface Extent {
  chunkId: number;
  version: number;
  chunkOffset: number;
  length: number;
}

export const HOLE = 0;

export function totalLength(extents: readonly Extent[]): number {
  let n = 0;
  for (const e of extents) n += e.length;
  return n;
}

export function hole(length: number): Extent {
  return { chunkId: HOLE, version: 0, chunkOffset: 0, length };
}

/** The extents that cover file bytes [from, to), trimmed to that range. */
export function slice(extents: readonly Extent[], from: number, to: number): Extent[] {
  const out: Extent[] = [];
  let pos = 0;
  for (const e of extents) {
    const start = pos;
    const end = pos + e.length;
    pos = end;
    if (end <= from) continue;
    if (start >= to) break;
    const s = Math.max(from, start);
    const t = Math.min(to, end);
    if (t > s) out.push({ ...e, chunkOffset: e.chunkId === HOLE ? 0 : e.chunkOffset + (s - start), length: t - s });
  }
  return out;
}

/** Joins neighbours that continue each other (same chunk, contiguous bytes, or two holes). */
export function coalesce(extents: readonly Extent[]): Extent[] {
  const out: Extent[] = [];
  for (const e of extents) {
    if (e.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.chunkId === e.chunkId && last.version === e.version && (e.chunkId === HOLE || last.chunkOffset + last.length === e.chunkOffset)) {
      out[out.length - 1] = { ...last, length: last.length + e.length };
    } else {
      out.push({ ...e });
    }
  }
  return out;
}

/** The content after writing `written` at `offset` over `old` (a file of `oldSize` bytes). */
export function overlay(old: readonly Extent[], oldSize: number, offset: number, written: readonly Extent[]): Extent[] {
  const len = totalLength(written);
  const parts: Extent[] = [...slice(old, 0, Math.min(offset, oldSize))];
  if (offset > oldSize) parts.push(hole(offset - oldSize));
  parts.push(...written);
  if (offset + len < oldSize) parts.push(...slice(old, offset + len, oldSize));
  return coalesce(parts);
}

/** The content cut or extended (with a hole) to `size`. */
export function resize(old: readonly Extent[], oldSize: number, size: number): Extent[] {
  if (size <= oldSize) return coalesce(slice(old, 0, size));
  return coalesce([...old, hole(size - oldSize)]);
}
