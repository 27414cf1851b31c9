import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE, veSDE } from "../../src/sde";
import { GaussianMixture } from "../../src/data";
import { mixtureScore } from "../../src/score/exact";
import { eulerMaruyama } from "../../src/sample";
import { exactLogRatio } from "../../src/refine/exact-ratio";
import { mlpDiscriminator } from "../../src/refine/discriminator";
import { trainDiscriminator } from "../../src/refine/train-discriminator";
import { guidedScore } from "../../src/refine/guidance";
import { modeWeightError } from "../../src/refine/generalization-run";

const data = new GaussianMixture({ weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
// A model wrong in weights, means and covariances: the exact identity must hold for any model.
const model = new GaussianMixture({ weights: [0.8, 0.2], means: [[-2, 0.5], [2.5, 0]], covs: [0.5, 0.25] });
// The trained-discriminator test's model has the right modes but weights 0.8/0.2: the modes are 8 std apart, so the
// share of samples left of x = 0 is the mode weight up to ~1e-15 and the mode-weight error is an exact, cheap distance.
const misweighted = new GaussianMixture({ weights: [0.8, 0.2], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });

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

test("discriminator guidance with a trained time-conditioned discriminator moves samples towards the data (3 seeds)", async () => {
  await initBackend();
  const sde = vpSDE();
  for (const seed of [0, 1, 2]) {
    const rng = new Rng(100 + seed);
    const real = data.sample(800, rng.fork(1)), fake = misweighted.sample(800, rng.fork(2));
    const disc = mlpDiscriminator(2, rng.fork(3));
    const tr = await trainDiscriminator(disc, real, fake, { steps: 250, rng: rng.fork(4), sde });
    assert.ok(tr.history.every(Number.isFinite));
    const score = mixtureScore(sde, misweighted).score;
    const base = await eulerMaruyama(score, sde, { n: 400, steps: 60, rng: rng.fork(5), shape: [2] });
    const refined = await eulerMaruyama(guidedScore(score, disc, { w: 1 }), sde, { n: 400, steps: 60, rng: rng.fork(5), shape: [2] });
    const eb = modeWeightError(base as tf.Tensor2D), er = modeWeightError(refined as tf.Tensor2D);
    // Base error is 0.3 up to sampling noise (sd of a share over 400 draws ~ 0.025); a margin of 0.1 is 4 sd.
    assert.ok(er < eb - 0.1, `seed ${seed}: base error ${eb}, refined ${er}`);
    tf.dispose([real, fake, base, refined]);
    disc.dispose();
  }
});
