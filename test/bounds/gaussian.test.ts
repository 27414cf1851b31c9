import { test } from "node:test";
import assert from "node:assert/strict";
import { linearSchedule } from "../../src/sde";
import { exactGaussianKL } from "../../src/bounds/exact-kl";
import { cholesky } from "../../src/linalg/cholesky";
import { matMul, transpose } from "../../src/linalg/matrix";
import { diagGaussianKL, diagGaussianW2sq, gaussianKL, gaussianW2sq, readGaussian } from "../../src/bounds/gaussian";

// A correlated 2-D target, so that the matrix square roots are exercised.
const target = { mean: [1, -0.5], cov: [[0.6, 0.25], [0.25, 0.4]] };

test("Gaussian KL and Bures W2 closed forms", () => {
  assert.ok(Math.abs(gaussianKL({ mean: [0], cov: [[1]] }, { mean: [1], cov: [[1]] }) - 0.5) < 1e-12);
  // KL(N(0,1) || N(0,4)) = (1/4 - 1 + log 4) / 2.
  assert.ok(Math.abs(gaussianKL({ mean: [0], cov: [[1]] }, { mean: [0], cov: [[4]] }) - (0.25 - 1 + Math.log(4)) / 2) < 1e-12);
  assert.ok(Math.abs(gaussianW2sq({ mean: [0, 0], cov: [[1, 0], [0, 1]] }, { mean: [3, 0], cov: [[4, 0], [0, 1]] }) - 10) < 1e-9);
  // W2 of a law with itself vanishes for a correlated covariance (exercises the matrix square roots).
  assert.ok(gaussianW2sq(target, target) < 1e-10);
  const L = cholesky(target.cov);
  const back = matMul(L, transpose(L));
  assert.ok(Math.abs(back[0][1] - 0.25) < 1e-12);
  // Recursion's W2 agrees with the full Bures formula on its own output.
  const r = exactGaussianKL({ schedule: linearSchedule(), target, steps: 7 });
  assert.ok(Math.abs(r.w2 ** 2 - gaussianW2sq({ mean: r.mean, cov: r.cov }, target)) < 1e-9);
});

test("readGaussian takes a scalar, diagonal or full covariance and names the argument it refuses", () => {
  assert.deepEqual(readGaussian({ mean: [1, 1], cov: 0.5 }, "f", "target"), { mean: [1, 1], cov: [[0.5, 0], [0, 0.5]] });
  assert.deepEqual(readGaussian({ mean: [0, 2], cov: [1, 3] }, "f", "target").cov, [[1, 0], [0, 3]]);
  const full = { mean: [0, 0], cov: [[2, 1], [1, 2]] };
  const back = readGaussian(full, "f", "target");
  assert.deepEqual(back, full);
  back.cov[0][0] = 9;
  assert.equal(full.cov[0][0], 2, "the caller's matrix is copied, not shared");
  assert.throws(() => readGaussian(null, "f", "target"), /f: argument 'target' must be an object/);
  assert.throws(() => readGaussian({ mean: [], cov: 1 }, "f", "target"), /f: argument 'target\.mean' must be a non-empty array/);
  assert.throws(() => readGaussian({ mean: [0], cov: -1 }, "f", "target"), /f: argument 'target\.cov' as a scalar must be a finite variance > 0/);
  assert.throws(() => readGaussian({ mean: [0, 0], cov: [1] }, "f", "target"), /f: argument 'target\.cov' as a diagonal must hold 2 finite variances/);
  assert.throws(() => readGaussian({ mean: [0, 0], cov: [[1, 0.5], [0, 1]] }, "f", "target"), /f: argument 'target\.cov' must be symmetric/);
  assert.throws(() => readGaussian({ mean: [0, 0], cov: [[1, 2], [2, 1]] }, "f", "target"), /f: argument 'target\.cov' must be symmetric positive definite/);
});

test("the shared-eigenbasis forms equal the full closed forms on diagonal covariances", () => {
  const m0 = [0.5, -1], v0 = [0.3, 2], m1 = [1, 0], v1 = [1, 0.5];
  const full = (m: number[], v: number[]) => ({ mean: m, cov: [[v[0], 0], [0, v[1]]] });
  // Both are float64 evaluations of the same formula; Bures adds an eigendecomposition: 1e-12.
  assert.ok(Math.abs(diagGaussianKL(m0, v0, m1, v1) - gaussianKL(full(m0, v0), full(m1, v1))) < 1e-12);
  assert.ok(Math.abs(diagGaussianW2sq(m0, v0, m1, v1) - gaussianW2sq(full(m0, v0), full(m1, v1))) < 1e-12);
  // By hand in 1-D: KL(N(0, 1) || N(1, 4)) = (1/4 + 1/4 - 1 + log 4) / 2; W2^2 = 1 + (1 - 2)^2 = 2.
  assert.ok(Math.abs(diagGaussianKL([0], [1], [1], [4]) - (0.5 - 1 + Math.log(4)) / 2) < 1e-15);
  assert.equal(diagGaussianW2sq([0], [1], [1], [4]), 2);
  assert.throws(() => gaussianKL({ mean: [0], cov: [[1]] }, { mean: [0, 0], cov: [[1, 0], [0, 1]] }), /gaussianKL: argument 'q' must have dimension 1, got 2/);
  assert.throws(() => gaussianW2sq({ mean: [0], cov: [[1]] }, { mean: [0, 0], cov: [[1, 0], [0, 1]] }), /gaussianW2sq: argument 'q' must have dimension 1, got 2/);
});
