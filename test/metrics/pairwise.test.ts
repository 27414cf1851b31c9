// Pairwise squared distances and the shared two-sample checks (src/metrics/pairwise.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { pairwiseSqDist, checkSamplePair, float32Scale, checkFiniteMetric } from "../../src/metrics/pairwise";

test("pairwiseSqDist is |a_i - b_j|^2 entry by entry, never negative", async () => {
  await initBackend();
  assert.deepEqual(Array.from(pairwiseSqDist(tf.tensor2d([[0, 0]]), tf.tensor2d([[3, 4]])).dataSync()), [25]);
  const a = tf.tensor2d([[1, 2], [0, -1], [3, 3]]), b = tf.tensor2d([[1, 2], [-2, 0]]);
  const d = pairwiseSqDist(a, b);
  assert.deepEqual(d.shape, [3, 2]);
  // Small integers: every term is exact in float32.
  assert.deepEqual(Array.from(d.dataSync()), [0, 13, 10, 5, 5, 34]);
  // Identical rows of large norm: |a|^2 + |b|^2 - 2ab rounds, and the clip at 0 keeps it from going negative.
  const big = tf.tensor2d([[1234.567, -987.654]]);
  assert.ok(pairwiseSqDist(big, big).dataSync()[0] >= 0);
  tf.dispose([a, b, d, big]);
});

test("checkSamplePair, float32Scale and checkFiniteMetric", async () => {
  await initBackend();
  const x = tf.tensor2d([[1, 2]]), y = tf.tensor2d([[3, 4], [5, 6]]);
  assert.deepEqual(checkSamplePair(x, y, "f"), [x, y]);
  assert.throws(() => checkSamplePair(x, y, "f", 2), /f: argument 'x' must have at least 2 rows, got 1/);
  assert.throws(() => checkSamplePair(x, tf.tensor2d([[1, 2, 3]]), "f"), /f: argument 'y' must have 2 columns like x, got 3/);
  assert.throws(() => checkSamplePair("x", y, "f"), /f: argument 'x' must be a tf\.Tensor/);
  assert.equal(float32Scale(x, y), 1);
  // 1e30 / 2^50 = 8.9e14: the next power of two above it is 2^50, so s = 2^50 brings entries to at most 2^50.
  const s = float32Scale(tf.tensor2d([[1e30]]), tf.tensor2d([[0]]));
  assert.equal(s, 2 ** 50);
  assert.ok(1e30 / s <= 2 ** 50);
  assert.equal(checkFiniteMetric(0.5, "f"), 0.5);
  assert.throws(() => checkFiniteMetric(NaN, "mmd2"), /mmd2: argument 'x' and y give a non-finite result \(NaN\): inputs too large for float32 distances/);
  tf.dispose([x, y]);
});
