import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { GaussianMixture } from "../../src/data/gmm";
import { otPath, vpPath } from "../../src/flow-matching/path";
import { exactVelocity, gaussianVelocity } from "../../src/flow-matching/exact";

test("exact velocity of a 1-D Gaussian equals a' mu + (a a' S + s s') / (a^2 S + s^2) (x - a mu), t = 1 included", async () => {
  await initBackend();
  const mu = 1.3, S = 0.49;
  for (const path of [otPath(), otPath({ sigmaMin: 0.05 }), vpPath()]) {
    const m = gaussianVelocity(path, [mu], S);
    const xs = [-2, 0.1, 1.3, 3], ts = [path.tMin, 0.4, 0.9, path.T];
    const v = m.velocity(tf.tensor2d(xs, [4, 1]), tf.tensor1d(ts)).dataSync();
    xs.forEach((x, i) => {
      const { scale: a, std: s, dScale: da, dStd: ds } = path.coefficientsAt(ts[i]);
      const want = da * mu + ((a * da * S + s * ds) / (a * a * S + s * s)) * (x - a * mu);
      // float32 evaluation of O(1..30) quantities (the VP path's s' is large near tMin): 1e-5 relative.
      assert.ok(Math.abs(v[i] - want) < 1e-5 * Math.max(1, Math.abs(want)), `${path.describe()} x=${x} t=${ts[i]}: ${v[i]} vs ${want}`);
    });
    m.dispose();
  }
});

test("the exact mixture velocity solves the continuity equation d/dt log p + v . grad log p + div v = 0 (1-D)", async () => {
  await initBackend();
  const gmm = new GaussianMixture({ weights: [0.4, 0.6], means: [[-1.5], [2]], covs: [0.3, 0.6] });
  const path = otPath();
  const m = exactVelocity(path, gmm);
  const xs = [-2.5, -1, 0, 0.7, 2.4];
  for (const t of [0.2, 0.5, 0.8]) {
    const x = tf.tensor2d(xs, [5, 1]);
    const tt = tf.fill([5], t);
    const h = 1e-3;
    const dlogp = tf.div(tf.sub(m.logDensity(x, tf.fill([5], t + h)), m.logDensity(x, tf.fill([5], t - h))), 2 * h).dataSync();
    const v = m.velocity(x, tt).dataSync();
    const dv = tf.grad((u: tf.Tensor) => tf.sum(m.velocity(u, tt)))(x).dataSync();
    const s = m.score(x, tt).dataSync();
    xs.forEach((xi, i) => {
      const residual = dlogp[i] + v[i] * s[i] + dv[i];
      // The central difference of float32 log-densities: rounding 1e-7 |log p| / h ~ 1e-3, truncation h^2 ~ 1e-6.
      assert.ok(Math.abs(residual) < 5e-3, `t=${t} x=${xi}: residual ${residual} (d/dt log p ${dlogp[i]})`);
    });
    tf.dispose([x, tt]);
  }
  m.dispose();
});
