import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { GaussianMixture } from "../../src/data";
import { exactLogRatio } from "../../src/refine/exact-ratio";
import { mlpDiscriminator } from "../../src/refine/discriminator";
import { trainDiscriminator } from "../../src/refine/train-discriminator";

test("a trained discriminator's logit approaches the exact log ratio (Gaussian vs Gaussian, loose)", async () => {
  await initBackend();
  const sde = vpSDE();
  const p = new GaussianMixture({ weights: [1], means: [[1, 0]], covs: [0.5] });
  const q = new GaussianMixture({ weights: [1], means: [[-1, 0]], covs: [1] });
  const rng = new Rng(7);
  const real = p.sample(1000, rng.fork(1)), fake = q.sample(1000, rng.fork(2));
  const disc = mlpDiscriminator(2, rng.fork(3));
  await trainDiscriminator(disc, real, fake, { steps: 300, rng: rng.fork(4), sde });
  const exact = exactLogRatio(sde, p, q);
  for (const tv of [0.1, 0.4]) {
    const { scale, std } = sde.marginalAt(tv);
    const x = tf.tidy(() => tf.add(tf.mul(tf.concat([real.slice([0, 0], [200, 2]), fake.slice([0, 0], [200, 2])]), scale), rng.normal([400, 2], 0, std)));
    const t = tf.fill([400], tv);
    const a = disc.logit(x, t), b = exact.logit(x, t);
    const [corr, rmse, spread] = tf.tidy(() => {
      const ca = tf.sub(a, tf.mean(a)), cb = tf.sub(b, tf.mean(b));
      const c = tf.div(tf.sum(tf.mul(ca, cb)), tf.sqrt(tf.mul(tf.sum(tf.square(ca)), tf.sum(tf.square(cb)))));
      return [c.dataSync()[0], tf.sqrt(tf.mean(tf.square(tf.sub(a, b)))).dataSync()[0], tf.moments(b).variance.sqrt().dataSync()[0]];
    });
    // Loose on purpose: 300 Adam steps on 2x1000 points fit the log ratio's shape (correlation), not its
    // tails; an error under half the ratio's own spread rules out a discriminator that learned nothing (error = spread).
    assert.ok(corr > 0.9 && rmse < 0.5 * spread, `t=${tv}: corr ${corr}, rmse ${rmse}, spread ${spread}`);
    tf.dispose([x, t, a, b]);
  }
  tf.dispose([real, fake]); disc.dispose();
});
