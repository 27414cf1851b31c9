import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { gaussianFitScore, particleMoments } from "../../src/flow/gaussian-fit";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) < tol, `${what}: ${a} vs ${b}`);

test("particleMoments gives the mean and the population covariance (divided by n) of the particles", async () => {
  await initBackend();
  const p = tf.tensor2d([[0, 0], [2, 2], [0, 2]]);
  const { mean, cov } = particleMoments(p);
  // By hand: mean (2/3, 4/3); deviations (-2/3, -4/3), (4/3, 2/3), (-2/3, 2/3); sums of products / 3.
  // float64 sums of float32-exact inputs: 1e-12.
  close(mean[0], 2 / 3, 1e-12, "mean 0"); close(mean[1], 4 / 3, 1e-12, "mean 1");
  close(cov[0][0], 8 / 9, 1e-12, "cov 00"); close(cov[1][1], 8 / 9, 1e-12, "cov 11");
  close(cov[0][1], 4 / 9, 1e-12, "cov 01"); close(cov[1][0], 4 / 9, 1e-12, "cov 10");
  assert.throws(() => particleMoments(tf.tensor2d([[0, 0], [1, 1]])), /particleMoments: argument 'particles'/);
  p.dispose();
});

test("gaussianFitScore is -(x - m)(C + sigma^2 I)^-1 with the particles' moments", async () => {
  await initBackend();
  const p = tf.tensor2d([[0, 0], [2, 2], [0, 2]]);
  const sigma = 0.5;
  const fit = gaussianFitScore(p, sigma);
  const x = tf.tensor2d([[1, 1], [-1, 3]]);
  const got = fit.score(x).arraySync();
  // C + sigma^2 I = [[8/9 + 1/4, 4/9], [4/9, 8/9 + 1/4]]; its inverse by the 2 x 2 formula.
  const a = 8 / 9 + 0.25, b = 4 / 9, det = a * a - b * b;
  const P = [[a / det, -b / det], [-b / det, a / det]], m = [2 / 3, 4 / 3];
  [[1, 1], [-1, 3]].forEach((row, i) => {
    const dx = row.map((v, j) => v - m[j]);
    const want = [0, 1].map((j) => -(dx[0] * P[0][j] + dx[1] * P[1][j]));
    // The product runs in float32 on O(1) numbers: 1e-5.
    want.forEach((w, j) => close(got[i][j], w, 1e-5, `row ${i} col ${j}`));
  });
  const before = tf.memory().numTensors;
  fit.dispose();
  assert.equal(tf.memory().numTensors, before - 2, "dispose frees the mean and the precision");
  tf.dispose([p, x]);
});
