import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { GaussianMixture } from "../../src/data";
import { mixtureScore } from "../../src/score/exact";
import { eulerMaruyama } from "../../src/sample";
import { exactLogRatio, guidedScore, mlpDiscriminator, refineGenerator, trainDiscriminator } from "../../src/refine";

// Data 0.5/0.5 against a model with the right modes but weights 0.8/0.2: the modes are 8 std apart, so the share
// of samples left of x = 0 is the mode weight up to ~1e-15 and the mode-weight error is an exact, cheap distance.
const data = new GaussianMixture({ weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
const model = new GaussianMixture({ weights: [0.8, 0.2], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
function modeWeightError(x: tf.Tensor): number {
  const v = x.dataSync(); let c = 0;
  for (let i = 0; i < v.length; i += 2) if (v[i] < 0) c++;
  return Math.abs(c / (v.length / 2) - 0.5);
}

test("discriminator guidance with a trained time-conditioned discriminator moves samples towards the data (3 seeds)", async () => {
  await initBackend();
  const sde = vpSDE();
  for (const seed of [0, 1, 2]) {
    const rng = new Rng(100 + seed);
    const real = data.sample(800, rng.fork(1)), fake = model.sample(800, rng.fork(2));
    const disc = mlpDiscriminator(2, rng.fork(3));
    const tr = await trainDiscriminator(disc, real, fake, { steps: 250, rng: rng.fork(4), sde });
    assert.ok(tr.history.every(Number.isFinite));
    const score = mixtureScore(sde, model).score;
    const base = await eulerMaruyama(score, sde, { n: 400, steps: 60, rng: rng.fork(5), shape: [2] });
    const refined = await eulerMaruyama(guidedScore(score, disc, { w: 1 }), sde, { n: 400, steps: 60, rng: rng.fork(5), shape: [2] });
    const eb = modeWeightError(base), er = modeWeightError(refined);
    // Base error is 0.3 up to sampling noise (sd of a share over 400 draws ~ 0.025); a margin of 0.1 is 4 sd.
    assert.ok(er < eb - 0.1, `seed ${seed}: base error ${eb}, refined ${er}`);
    tf.dispose([real, fake, base, refined]);
    disc.dispose();
  }
});

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

test("refining a mis-weighted generator by SIR and by rejection (JS and KL objectives) moves it towards the data (3 seeds)", async () => {
  await initBackend();
  for (const seed of [0, 1, 2]) {
    const rng = new Rng(200 + seed);
    const real = data.sample(800, rng.fork(1));
    const base = model.sample(600, rng.fork(2));
    const eb = modeWeightError(base);
    for (const [method, objective] of [["sir", "bce"], ["rejection", "kl"]] as const) {
      const r = await refineGenerator(model, real, { rng: rng.fork(3), method, objective, steps: 200, trainSize: 800, pool: 1500, n: 600 });
      const er = modeWeightError(r.x);
      assert.ok(er < eb - 0.1, `seed ${seed} ${method}/${objective}: base ${eb}, refined ${er}`);
      assert.ok(r.ess > 1 && r.ess <= 1500 + 1e-6);
      if (method === "rejection") assert.ok(r.acceptanceRate! > 0 && r.acceptanceRate! < 1);
      tf.dispose([r.x, r.pool]); r.discriminator.dispose();
    }
    tf.dispose([real, base]);
  }
});
