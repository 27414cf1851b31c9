import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../src/tensor";
import { veSDE, vpSDE, subVpSDE } from "../../../src/sde";
import { gaussianScore } from "../../../src/score/exact/gaussian";
import { solveLinear } from "../../../src/linalg/solve";
import { assertNoLeak } from "./helpers";

/** A y = b in float64 (src/linalg/solve.ts, tested against hand-solved systems in test/linalg/solve.test.ts). */
const solve = (A: number[][], b: number[]): number[] => solveLinear(A, b.map((v) => [v]))!.map((r) => r[0]);

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
  assertNoLeak(gaussianScore(sde, [0, 1], [[1, 0.2], [0.2, 1]]));
});
