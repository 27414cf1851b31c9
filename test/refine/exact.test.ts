import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE, veSDE } from "../../src/sde";
import { GaussianMixture, singleGaussian } from "../../src/data";
import { mixtureScore } from "../../src/score/exact";
import { exactLogRatio, guidedScore, quadraticLogistic } from "../../src/refine";

const data = new GaussianMixture({ weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
const model = new GaussianMixture({ weights: [0.8, 0.2], means: [[-2, 0.5], [2.5, 0]], covs: [0.5, 0.25] });

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

test("guided model score with the exact optimal discriminator at w = 1 equals the data score (VP and VE, several t)", async () => {
  await initBackend();
  for (const sde of [vpSDE(), veSDE({ sigmaMax: 10 })]) {
    const ratio = exactLogRatio(sde, data, model);
    // Clip off: the exact log ratio exceeds +-11.5 far from the modes, where the DG clip would (correctly) cut it.
    const guided = guidedScore(mixtureScore(sde, model).score, ratio, { w: 1, clip: 0, tRange: [0, 1] });
    const target = mixtureScore(sde, data).score;
    for (const tv of [0.02, 0.1, 0.3, 0.6, 1]) {
      const rng = new Rng(Math.round(tv * 1000));
      const x = tf.tidy(() => tf.add(data.sample(64, rng), rng.normal([64, 2], 0, 0.5)));
      const t = tf.fill([64], tv);
      const a = guided(x, t), b = target(x, t);
      const scale = tf.tidy(() => tf.max(tf.abs(b)).dataSync()[0]);
      // float32: log densities are O(10-100) at small t; their gradient difference carries ~1e-6 relative error
      // per op, so 1e-3 relative to the largest score entry is float tolerance with margin.
      assert.ok(maxAbsDiff(a, b) <= 1e-3 * Math.max(1, scale), `${sde.kind} t=${tv}: max diff ${maxAbsDiff(a, b)} (scale ${scale})`);
      tf.dispose([x, t, a, b]);
    }
  }
});

test("guidance is off outside tRange and at w = 0", async () => {
  await initBackend();
  const sde = vpSDE();
  const ratio = exactLogRatio(sde, data, model);
  const base = mixtureScore(sde, model).score;
  const x = data.sample(16, new Rng(3));
  const t = tf.fill([16], 0.005);
  const a = guidedScore(base, ratio, { w: 1 })(x, t), b = base(x, t);
  assert.equal(maxAbsDiff(a, b), 0);
  const t2 = tf.fill([16], 0.5);
  const c = guidedScore(base, ratio, { w: 0 })(x, t2), e = base(x, t2);
  assert.equal(maxAbsDiff(c, e), 0);
  tf.dispose([x, t, a, b, t2, c, e]);
});

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
