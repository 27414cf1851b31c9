import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { GaussianMixture, singleGaussian } from "../../src/data";
import { exactLogRatio } from "../../src/refine/exact-ratio";
import { quadraticLogistic } from "../../src/refine/quadratic-logistic";

test("Gaussian vs Gaussian: logistic regression on quadratic features recovers the quadratic log ratio at several t", async () => {
  await initBackend();
  const sde = vpSDE();
  const p = singleGaussian([1, -0.5], [[1, 0.3], [0.3, 0.5]]);
  const q = singleGaussian([0, 0], [[0.6, 0], [0, 1.2]]);
  const exact = exactLogRatio(sde, p, q);
  const n = 3000;
  for (const tv of [0.05, 0.3, 0.7]) {
    const rng = new Rng(10 + Math.round(tv * 100));
    const { scale, std } = sde.marginalAt(tv);
    const diffuse = (g: GaussianMixture) => tf.tidy(() => tf.add(tf.mul(g.sample(n, rng), scale), rng.normal([n, 2], 0, std))) as tf.Tensor2D;
    const xr = diffuse(p), xf = diffuse(q);
    const fit = quadraticLogistic(xr, xf);
    const probe = tf.tidy(() => tf.concat([xr.slice([0, 0], [200, 2]), xf.slice([0, 0], [200, 2])])) as tf.Tensor2D;
    const tt = tf.fill([400], tv);
    const a = fit.logit(probe), b = exact.logit(probe, tt);
    const rmse = tf.tidy(() => tf.sqrt(tf.mean(tf.square(tf.sub(a, b)))).dataSync()[0]);
    const spread = tf.tidy(() => tf.moments(b).variance.sqrt().dataSync()[0]);
    // MLE with 6 parameters from 2n = 6000 points: the fitted logit's standard error at typical points is
    // O(sqrt(6 / n)) ~ 0.05 times the feature scale; 0.25 (and 20% of the ratio's spread) leaves room for the tails.
    assert.ok(rmse < Math.max(0.25, 0.2 * spread), `t=${tv}: rmse ${rmse}, spread ${spread}`);
    tf.dispose([xr, xf, probe, tt, a, b]);
  }
});
