// S3 and godfs list keys in UTF-8 byte order. JavaScript compares UTF-16 code units, which differs
// from UTF-8 byte order only when a surrogate pair (code point > U+FFFF) meets a code unit in
// U+E000..U+FFFF; comparing code points there gives exactly the UTF-8 byte order.
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs === ys) return x - y;
    // One side is a surrogate (a code point ≥ U+10000, 4 UTF-8 bytes): it sorts after any BMP unit.
    return xs ? 1 : -1;
  }
  return a.length - b.length;
}
