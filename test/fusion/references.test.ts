import { test } from "node:test";
import assert from "node:assert/strict";
import { histogramBitsPerDim, uniformBitsPerDim } from "../../src/fusion";

test("the uniform level is log2 of the level count", () => {
  assert.equal(uniformBitsPerDim(17), Math.log2(17));
  assert.throws(() => uniformBitsPerDim(1), /uniformBitsPerDim: argument 'levels'/);
});

test("per-pixel histogram bits/dim equal the add-1/2 estimate computed by hand", () => {
  // Pixel 0 saw level 0 twice; pixel 1 saw levels 1 and 2 once each; 3 levels, alpha 1/2: denominator 2 + 1.5 = 3.5.
  const train = [[0, 1], [0, 2]];
  const byHand = -(Math.log2(2.5 / 3.5) + Math.log2(1.5 / 3.5)) / 2;
  assert.ok(Math.abs(histogramBitsPerDim(train, [[0, 1]], { levels: 3 }) - byHand) < 1e-12);
  // An unseen level costs -log2(alpha / (n + alpha L)), finite.
  const unseen = -(Math.log2(0.5 / 3.5) + Math.log2(0.5 / 3.5)) / 2;
  assert.ok(Math.abs(histogramBitsPerDim(train, [[2, 0]], { levels: 3 }) - unseen) < 1e-12);
  // Fitted on no information beyond the pseudo-counts (every level once in every pixel), it is the uniform level.
  const all = [[0, 0], [1, 1], [2, 2]];
  assert.ok(Math.abs(histogramBitsPerDim(all, [[1, 2]], { levels: 3 }) - Math.log2(3)) < 1e-12);
});

test("histogramBitsPerDim names the argument that is wrong", () => {
  assert.throws(() => histogramBitsPerDim([], [[0]]), /histogramBitsPerDim: argument 'train'/);
  assert.throws(() => histogramBitsPerDim([[0, 1]], [[0]]), /argument 'test\[0\]' must hold 2 pixels/);
  assert.throws(() => histogramBitsPerDim([[0, 17]], [[0, 1]]), /argument 'train\[0\]\[1\]' must be an integer level in \[0, 17\)/);
});
