import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../src/tensor";
import { veSDE, vpSDE, subVpSDE } from "../../../src/sde";
import { gaussianScore } from "../../../src/score/exact/gaussian";

/** Solves A y = b by Gaussian elimination with partial pivoting (float64, small d). */
function solve(A: number[][], b: number[]): number[] {
  const d = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
    [M[k], M[p]] = [M[p], M[k]];
    for (let i = k + 1; i < d; i++) { const f = M[i][k] / M[k][k]; for (let j = k; j <= d; j++) M[i][j] -= f * M[k][j]; }
  }
  const y = new Array(d).fill(0);
  for (let i = d - 1; i >= 0; i--) { let s = M[i][d]; for (let j = i + 1; j < d; j++) s -= M[i][j] * y[j]; y[i] = s / M[i][i]; }
  return y;
}

const mean = [1, -2, 0.5];
const cov = [[2, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 0.5]];

test("gaussianScore equals -(a^2 S + s^2 I)^{-1}(x - a mu) solved directly, and the gradient of its logDensity", async () => {
  await initBackend();
  for (const sde of [vpSDE(), veSDE(), subVpSDE()]) {
    const m = gaussianScore(sde, mean, cov);
    const xs = [[0.3, -1, 2], [1, 1, 1], [-2, 0, 0.1]];
    const ts = [0.01, 0.4, 0.95];
    const x = tf.tensor2d(xs), t = tf.tensor1d(ts);
    const s = m.score(x, t).arraySync() as number[][];
    const g = tf.grad((u: tf.Tensor) => tf.sum(m.logDensity!(u, t)))(x).arraySync() as number[][];
    xs.forEach((xi, i) => {
      const { scale: a, std } = sde.marginalAt(ts[i]);
      const C = cov.map((r, p) => r.map((v, q) => a * a * v + (p === q ? std * std : 0)));
      const want = solve(C, xi.map((v, p) => -(v - a * mean[p])));
      // float32 arithmetic on O(1..10) values: 1e-4 relative to the largest entry.
      const scaleTol = 1e-4 * Math.max(1, ...want.map(Math.abs));
      want.forEach((w, p) => {
        assert.ok(Math.abs(s[i][p] - w) <= scaleTol, `${sde.kind} row ${i} dim ${p}: ${s[i][p]} vs ${w}`);
        assert.ok(Math.abs(g[i][p] - w) <= 10 * scaleTol, `${sde.kind} grad logDensity row ${i} dim ${p}`);
      });
    });
    tf.dispose([x, t]);
    m.dispose();
  }
});

test("bad input to gaussianScore throws errors that name the problem", async () => {
  await initBackend();
  const sde = vpSDE();
  assert.throws(() => gaussianScore(sde, [], 1), /gaussianScore: argument 'mean'/);
  assert.throws(() => gaussianScore(sde, [0, 0], [[1, 0]]), /gaussianScore: argument 'cov'/);
  assert.throws(() => gaussianScore(sde, [0, 0], [[1, 2], [2, 1]]), /gaussianScore: argument 'cov' must be positive semi-definite/);
  assert.throws(() => gaussianScore({} as never, [0], 1), /gaussianScore: argument 'sde'/);
  const m = gaussianScore(sde, [0, 0]);
  const x3 = tf.zeros([4, 3]), t4 = tf.zeros([4]), t5 = tf.zeros([5]), x2 = tf.zeros([4, 2]);
  assert.throws(() => m.score(x3, t4), /gaussianScore.score: argument 'x' must have shape \[n, 2\]/);
  assert.throws(() => m.score(x2, t5), /gaussianScore.score: argument 't' must have shape \[4\]/);
  m.dispose();
  assert.throws(() => m.score(x2, t4), /was disposed/);
  tf.dispose([x3, t4, t5, x2]);
});

test("gaussianScore leaks no tensors across repeated calls", async () => {
  await initBackend();
  const sde = vpSDE();
  const models = [gaussianScore(sde, [0, 1], [[1, 0.2], [0.2, 1]])];
  const x = tf.ones([10, 2]), t = tf.fill([10], 0.5);
  for (const m of models) tf.dispose(m.score(x, t));
  const before = tf.memory().numTensors;
  for (let k = 0; k < 5; k++) for (const m of models) { tf.dispose(m.score(x, t)); if (m.logDensity) tf.dispose(m.logDensity(x, t)); }
  assert.equal(tf.memory().numTensors, before);
  for (const m of models) m.dispose();
  tf.dispose([x, t]);
});
