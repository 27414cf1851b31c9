import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { singleGaussian } from "../../src/data";
import { exactLogRatio } from "../../src/refine/exact-ratio";

// Two 1-D-like Gaussians in 2-D with isotropic covariances: log N(x; m, s^2 I) is written out by hand below, so the
// ratio is checked against the formula, not against GaussianMixture.logDensity (which it calls).
const logN = (x: number[], m: number[], s2: number) => -Math.log(2 * Math.PI * s2) - ((x[0] - m[0]) ** 2 + (x[1] - m[1]) ** 2) / (2 * s2);
const p = singleGaussian([1, 0], [[0.5, 0], [0, 0.5]]), q = singleGaussian([-1, 0.5], [[2, 0], [0, 2]]);
const rows = [[0, 0], [1, -1], [-2, 3]];

test("exactLogRatio: clean and diffused Gaussian log ratios match the closed form", async () => {
  await initBackend();
  const x = tf.tensor2d(rows);
  const clean = tf.tidy(() => exactLogRatio(null, p, q).logit(x).arraySync());
  // float32 log densities of size ~5: 1e-4 absolute is float tolerance.
  rows.forEach((r, i) => assert.ok(Math.abs(clean[i] - (logN(r, [1, 0], 0.5) - logN(r, [-1, 0.5], 2))) < 1e-4, `clean row ${i}`));
  const sde = vpSDE();
  const tv = 0.4, { scale, std } = sde.marginalAt(tv);
  const diffused = tf.tidy(() => exactLogRatio(sde, p, q).logit(x, tf.fill([3], tv)).arraySync());
  // Diffused by the VP SDE: N(a m, a^2 s^2 + sigma^2) for each law.
  rows.forEach((r, i) => {
    const want = logN(r, [scale * 1, 0], scale * scale * 0.5 + std * std) - logN(r, [-scale, scale * 0.5], scale * scale * 2 + std * std);
    assert.ok(Math.abs(diffused[i] - want) < 1e-4, `t = ${tv} row ${i}: ${diffused[i]} against ${want}`);
  });
  x.dispose();
});

test("exactLogRatio: bad input is one clear error naming the argument", async () => {
  await initBackend();
  assert.throws(() => exactLogRatio({} as never, p, q), /exactLogRatio: argument 'sde'/);
  assert.throws(() => exactLogRatio(null, p, singleGaussian([0, 0, 0], [[1, 0, 0], [0, 1, 0], [0, 0, 1]])), /exactLogRatio: argument 'q' must have the dimension of p/);
  const x = tf.zeros([2, 2]);
  assert.throws(() => exactLogRatio(vpSDE(), p, q).logit(x), /exactLogRatio.logit: argument 't' is required/);
  assert.throws(() => tf.tidy(() => exactLogRatio(null, p, q).logit(tf.zeros([2, 3]))), /exactLogRatio.logit: argument 'x' must have shape \[n, 2\]/);
  x.dispose();
});
