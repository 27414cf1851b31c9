import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { kid } from "../../src/metrics";

/** The U-statistic by its definition, in float64 with explicit loops. */
function kidByLoops(x: number[][], y: number[][], gamma: number, coef: number, degree: number): number {
  const k = (a: number[], b: number[]) => (gamma * a.reduce((s, v, i) => s + v * b[i], 0) + coef) ** degree;
  let sx = 0, sy = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) if (i !== j) sx += k(x[i], x[j]);
  for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) if (i !== j) sy += k(y[i], y[j]);
  for (const a of x) for (const b of y) sxy += k(a, b);
  return sx / (x.length * (x.length - 1)) + sy / (y.length * (y.length - 1)) - (2 * sxy) / (x.length * y.length);
}

test("kid equals the unbiased MMD^2 U-statistic with the cubic polynomial kernel (default gamma 1/d, coef 1)", async () => {
  await initBackend();
  const x = [[0.1, 0.5, -1], [1, 2, 0], [-0.5, 0.3, 0.2], [0, 0, 1]], y = [[1, 1, 1], [0.2, -0.4, 0.6], [2, 0, -1]];
  const got = kid(tf.tensor2d(x), tf.tensor2d(y));
  // float32 kernel sums of values up to ~10: 1e-5 relative.
  const want = kidByLoops(x, y, 1 / 3, 1, 3);
  assert.ok(Math.abs(got.value - want) < 1e-5 * Math.max(1, Math.abs(want)), `${got.value} vs ${want}`);
  assert.deepEqual([got.n, got.m, got.subsets, got.std], [4, 3, 1, 0]);
  const g2 = kid(tf.tensor2d(x), tf.tensor2d(y), { degree: 2, gamma: 0.7, coef: 0.5 });
  assert.ok(Math.abs(g2.value - kidByLoops(x, y, 0.7, 0.5, 2)) < 1e-5);
});

/*
 * Unbiasedness. 1-D, gamma = coef = 1, degree 3: for independent u, v, E(1 + uv)^3 = 1 + 3 Eu Ev + 3 Eu^2 Ev^2 +
 * Eu^3 Ev^3, and N(m, 1) has moments m, 1 + m^2, m^3 + 3m, so MMD^2(N(0,1), N(m,1)) = 12 m^2 + 9 m^4 + m^6
 * (3.578 at m = 0.5) and 0 for the same law. The mean of R independent estimates is within 5 standard errors
 * (taken from the R estimates themselves) of the truth unless the estimator is biased.
 */
test("kid is unbiased: mean over draws ~ 0 for one law, 12m^2 + 9m^4 + m^6 for a shift by m (1-D, cubic kernel)", async () => {
  await initBackend();
  const rng = new Rng(11), R = 40, n = 100, m = 0.5;
  for (const [shift, truth] of [[0, 0], [m, 12 * m ** 2 + 9 * m ** 4 + m ** 6]]) {
    const vals: number[] = [];
    for (let r = 0; r < R; r++) {
      const a = rng.normal([n, 1]) as tf.Tensor2D, b = rng.normal([n, 1], shift) as tf.Tensor2D;
      vals.push(kid(a, b, { gamma: 1, coef: 1 }).value);
      tf.dispose([a, b]);
    }
    const mean = vals.reduce((p, v) => p + v, 0) / R;
    const se = Math.sqrt(vals.reduce((p, v) => p + (v - mean) ** 2, 0) / (R - 1) / R);
    assert.ok(Math.abs(mean - truth) < 5 * se, `shift ${shift}: mean ${mean} vs ${truth} (se ${se})`);
    if (shift > 0) assert.ok(mean > 5 * se, "a shift must be detected");
  }
});

test("kid subsets: mean and std over subset pairs; bad options name the function and argument", async () => {
  await initBackend();
  const x = new Rng(1).normal([60, 2]) as tf.Tensor2D, y = new Rng(2).normal([50, 2], 1) as tf.Tensor2D;
  const r = kid(x, y, { subsetSize: 20, subsets: 5, rng: new Rng(0) });
  assert.deepEqual([r.n, r.m, r.subsets], [20, 20, 5]);
  assert.ok(r.std > 0 && r.value > 0);
  const again = kid(x, y, { subsetSize: 20, subsets: 5, rng: new Rng(0) });
  assert.equal(again.value, r.value);
  assert.throws(() => kid(x, y, { subsetSize: 51, rng: new Rng(0) }), /kid: argument 'opts.subsetSize' must be at most the rows of x \(60\) and y \(50\)/);
  assert.throws(() => kid(x, y, { subsetSize: 10 }), /kid: argument 'opts.rng' must be an Rng/);
  assert.throws(() => kid(x, y, { subsets: 3 }), /kid: argument 'opts.subsets' needs opts.subsetSize/);
  assert.throws(() => kid(x, y, { degree: 0 }), /kid: argument 'opts.degree' must be >= 1/);
  const before = tf.memory().numTensors;
  kid(x, y, { subsetSize: 20, subsets: 2, rng: new Rng(0) });
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, y]);
});
