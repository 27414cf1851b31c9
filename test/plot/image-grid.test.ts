// imageGridFigure (src/plot/image-grid.ts): grey-scale images tiled into one heat map.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import * as p from "../../src/plot/image-grid";

before(async () => {
  await initBackend();
});

test("tiles go row by row with null gaps; the colour range is the pixels' unless given", () => {
  // Three 1x2 images in 2 columns with a gap of 1: 2 rows of tiles, H = 2 + 1 = 3, W = 2 * 2 + 1 = 5.
  const f = p.imageGridFigure([[[1, 2]], [[3, 4]], [[5, 6]]], { cols: 2 });
  assert.deepEqual(f.data[0].z, [[1, 2, null, 3, 4], [null, null, null, null, null], [5, 6, null, null, null]]);
  assert.deepEqual([f.data[0].zmin, f.data[0].zmax], [1, 6]);
  const r = p.imageGridFigure([[[0, 0]]], { range: [-1, 1] });
  assert.deepEqual([r.data[0].zmin, r.data[0].zmax], [-1, 1]);
  // A constant image still gets a non-empty colour range.
  const c = p.imageGridFigure([[[2, 2]]]);
  assert.deepEqual([c.data[0].zmin, c.data[0].zmax], [2, 3]);
  // Without cols: ceil(sqrt(n)) columns.
  const sq = p.imageGridFigure(tf.zeros([5, 1, 1]), { gap: 0 });
  assert.deepEqual([(sq.data[0].z as unknown[][]).length, (sq.data[0].z as unknown[][])[0].length], [2, 3]);
  assert.throws(() => p.imageGridFigure([[[0]]], { range: [1, 0] as [number, number] }), /imageGridFigure: argument 'opts.range' must be \[lo, hi\] with lo < hi/);
  assert.throws(() => p.imageGridFigure(tf.zeros([2, 3, 3, 3])), /imageGridFigure: argument 'images' must be a tensor of shape \[n,h,w\] or \[n,h,w,1\] \(grey-scale\), got shape \[2,3,3,3\]/);
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => p.imageGridFigure([]), /imageGridFigure: argument 'images' must not be empty/],
    [() => p.imageGridFigure([[[0, NaN]]]), /imageGridFigure: argument 'images' must hold finite pixel values/],
    [() => p.imageGridFigure([[[0, 1]], [[0]]]), /imageGridFigure: argument 'images' must hold images of equal size/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});
