import assert from 'node:assert/strict';
import { coalesce, hole, overlay, resize, slice, totalLength, type Extent } from './extents.js';

const ext = (chunkId: number, chunkOffset: number, length: number): Extent => ({ chunkId, version: 1, chunkOffset, length });

describe('extents', () => {
  const file = [ext(1, 0, 10), ext(2, 0, 10), ext(3, 5, 10)]; // 30 bytes

  it('slices a range across extent boundaries, trimming chunk offsets', () => {
    assert.deepEqual(slice(file, 5, 25), [ext(1, 5, 5), ext(2, 0, 10), ext(3, 5, 5)]);
    assert.deepEqual(slice(file, 0, 30), file);
    assert.deepEqual(slice(file, 30, 40), []);
    assert.deepEqual(slice(file, 12, 13), [ext(2, 2, 1)]);
  });

  it('overlays a write in the middle without touching bytes outside it', () => {
    const out = overlay(file, 30, 8, [ext(9, 0, 4)]);
    assert.deepEqual(out, [ext(1, 0, 8), ext(9, 0, 4), ext(2, 2, 8), ext(3, 5, 10)]);
    assert.equal(totalLength(out), 30);
  });

  it('overlays past the end with a hole between', () => {
    const out = overlay([ext(1, 0, 10)], 10, 15, [ext(2, 0, 5)]);
    assert.deepEqual(out, [ext(1, 0, 10), hole(5), ext(2, 0, 5)]);
  });

  it('overlays that extend the file keep the old prefix', () => {
    assert.deepEqual(overlay([ext(1, 0, 10)], 10, 5, [ext(2, 0, 10)]), [ext(1, 0, 5), ext(2, 0, 10)]);
  });

  it('resizes shorter and longer', () => {
    assert.deepEqual(resize(file, 30, 12), [ext(1, 0, 10), ext(2, 0, 2)]);
    assert.deepEqual(resize(file, 30, 35), [...file, hole(5)]);
    assert.deepEqual(resize(file, 30, 0), []);
  });

  it('coalesces contiguous pieces of one chunk and adjacent holes', () => {
    assert.deepEqual(coalesce([ext(1, 0, 5), ext(1, 5, 5), hole(2), hole(3), ext(1, 20, 1)]), [ext(1, 0, 10), hole(5), ext(1, 20, 1)]);
  });
});
