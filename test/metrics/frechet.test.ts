import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { frechetDistance, frechetGaussians, gaussianStats } from "../../src/metrics";

test("frechetGaussians: closed forms (commuting, non-commuting 2x2, equal laws)", async () => {
  await initBackend();
  // Diagonal (commuting) covariances: |dm|^2 + sum (sqrt a_i - sqrt b_i)^2. Float64 eigen-solves: 1e-12.
  const fd = frechetGaussians([0, 1, 2], [[1, 0, 0], [0, 4, 0], [0, 0, 9]], [1, 1, 0], [[4, 0, 0], [0, 4, 0], [0, 0, 1]]);
  assert.ok(Math.abs(fd - (1 + 4 + 1 + 0 + 4)) < 1e-12, `${fd}`);
  // Non-commuting 2x2: the eigenvalues l1, l2 of S1 S2 give (sqrt l1 + sqrt l2)^2 = tr(S1 S2) + 2 sqrt(det S1 det S2).
  const s1 = [[2, 0.5], [0.5, 1]], s2 = [[1, -0.3], [-0.3, 3]];
  const trProd = s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0] + s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1];
  const det = (m: number[][]) => m[0][0] * m[1][1] - m[0][1] * m[1][0];
  const trSqrt = Math.sqrt(trProd + 2 * Math.sqrt(det(s1) * det(s2)));
  const want = 0.25 + 4 + (2 + 1 + 1 + 3) - 2 * trSqrt;
  const got = frechetGaussians([0, 0], s1, [0.5, -2], s2);
  assert.ok(Math.abs(got - want) < 1e-12, `${got} vs ${want}`);
  assert.ok(frechetGaussians([1, 2], s1, [1, 2], s1) < 1e-12);
  // Symmetric in its two laws.
  assert.ok(Math.abs(frechetGaussians([0.5, -2], s2, [0, 0], s1) - want) < 1e-12);
});

test("frechetDistance on samples: a shift gives |shift|^2, a scaling (1 - c)^2 (|m|^2 + tr S) of the fitted stats", async () => {
  await initBackend();
  const x = tf.add(new Rng(3).normal([400, 5]), tf.tensor1d([1, 0, -1, 2, 0])) as tf.Tensor2D;
  const shift = [0.5, -1, 0, 2, 0.25];
  const y = tf.add(x, tf.tensor1d(shift)) as tf.Tensor2D;
  // Same fitted covariance: only the mean term remains; float32 data, float64 stats: 1e-4.
  assert.ok(Math.abs(frechetDistance(x, y) - shift.reduce((a, v) => a + v * v, 0)) < 1e-4);
  const c = 0.5, z = tf.mul(x, c) as tf.Tensor2D;
  const st = gaussianStats(x);
  const want = (1 - c) ** 2 * (st.mean.reduce((a, v) => a + v * v, 0) + st.cov.reduce((a, r, i) => a + r[i], 0));
  assert.ok(Math.abs(frechetDistance(x, z) - want) < 1e-4 * want, `${frechetDistance(x, z)} vs ${want}`);
  tf.dispose([x, y, z]);
});

test("gaussianStats: mean and unbiased covariance; bad input names the function and argument", async () => {
  await initBackend();
  const st = gaussianStats(tf.tensor2d([[0, 1], [2, 3], [4, 8]]));
  assert.deepEqual(st.mean, [2, 4]);
  assert.deepEqual(st.cov, [[4, 7], [7, 13]]);
  assert.throws(() => frechetDistance(tf.tensor2d([[0, 1]]), tf.tensor2d([[0, 1], [1, 2]])), /frechetDistance: argument 'x' must have at least 2 rows/);
  assert.throws(() => frechetDistance(tf.tensor2d([[0, 1], [1, 1]]), tf.tensor2d([[0], [1]])), /frechetDistance: argument 'y' must have 2 columns/);
  assert.throws(() => frechetGaussians([0], [[1]], [0, 1], [[1, 0], [0, 1]]), /frechetGaussians: argument 'm2' must have 1 entries/);
});
