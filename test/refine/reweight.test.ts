import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { GaussianMixture } from "../../src/data";
import { mixtureScore } from "../../src/score/exact";
import {
  LOGIT_CLIP, exactLogRatio, guidedScore, importanceWeights, logRatioFromOutput, mlpDiscriminator, rejectionSample,
  sampleImportanceResample, trainDiscriminator,
} from "../../src/refine";

test("importance weights are finite, normalised, and give ESS = N for equal ratios and ~1 for one dominant ratio", async () => {
  await initBackend();
  const big = importanceWeights([800, 0, -800, 3]); // exp(800) overflows a double: log space must cope
  assert.ok(big.weights.every(Number.isFinite));
  assert.ok(Math.abs(big.weights.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(Math.abs(big.ess - 1) < 1e-9);
  const flat = importanceWeights(new Array(50).fill(0.3));
  assert.ok(Math.abs(flat.ess - 50) < 1e-9);
  // ESS of weights (1, 2): (3)^2 / 5.
  const two = importanceWeights([0, Math.log(2)]);
  assert.ok(Math.abs(two.ess - 9 / 5) < 1e-12);
});

test("a degenerate discriminator (d = 0 or 1 everywhere) is a clear error; partial saturation a warning; no NaNs", async () => {
  await initBackend();
  const rng = new Rng(0);
  const pool = rng.normal([20, 2]) as tf.Tensor2D;
  // Logits of +-1e4 (a classifier certain everywhere) clip to +-LOGIT_CLIP.
  const sat = logRatioFromOutput(tf.fill([20], 1e4));
  assert.equal(sat.dataSync()[0], Math.fround(LOGIT_CLIP));
  assert.throws(() => sampleImportanceResample(pool, sat, { n: 5, rng }), /importanceWeights: argument 'logRatio' is degenerate/);
  assert.throws(() => rejectionSample(pool, logRatioFromOutput(tf.fill([20], -1e4)), { rng }), /degenerate/);
  const half = Array.from({ length: 20 }, (_, i) => (i < 15 ? LOGIT_CLIP : 0));
  const r = sampleImportanceResample(pool, half, { n: 10, rng });
  assert.ok(r.warnings.some((w) => /saturated/.test(w)));
  assert.ok(r.x.dataSync().every(Number.isFinite));
  assert.throws(() => importanceWeights([0, NaN]), /importanceWeights: argument 'logRatio' must be finite; entry 1/);
  tf.dispose([pool, sat, r.x]);
});

test("SIR reproduces the reweighted mean; rejection accepts at rate E[r]/M", async () => {
  await initBackend();
  const rng = new Rng(5);
  const N = 20000;
  const pool = rng.normal([N, 1]) as tf.Tensor2D;
  // q = N(0, 1), r(x) = exp(x - 1/2) makes q r = N(1, 1): refined mean 1.
  const lr = tf.tidy(() => tf.sub(tf.reshape(pool, [-1]), 0.5)) as tf.Tensor1D;
  const s = sampleImportanceResample(pool, lr, { n: 4000, rng });
  const m = tf.tidy(() => tf.mean(s.x).dataSync()[0]);
  // The ESS of this weighting is N / e ~ 7400, so the SIR mean has sd ~ 1/sqrt(4000) + 1/sqrt(7400) ~ 0.03.
  assert.ok(Math.abs(m - 1) < 0.1, `SIR mean ${m}`);
  assert.ok(Math.abs(s.essFraction - Math.exp(-1)) < 0.05, `ESS fraction ${s.essFraction}`);
  const rj = rejectionSample(pool, lr, { rng });
  const mr = tf.tidy(() => tf.mean(rj.x).dataSync()[0]);
  assert.ok(Math.abs(mr - 1) < 0.15, `rejection mean ${mr}`);
  // Acceptance = E_q[r] / M = 1 / M with M = exp(max - 1/2): computed from the pool itself.
  const logM = rj.logM;
  assert.ok(Math.abs(rj.acceptanceRate - Math.exp(-logM)) < 4 * Math.sqrt(Math.exp(-logM) / N) + 1e-3, `rate ${rj.acceptanceRate} vs ${Math.exp(-logM)}`);
  tf.dispose([pool, lr, s.x, rj.x]);
});

test("bad inputs give errors that name the function and argument", async () => {
  await initBackend();
  const rng = new Rng(0);
  const x = rng.normal([10, 2]) as tf.Tensor2D;
  assert.throws(() => mlpDiscriminator(0, rng), /mlpDiscriminator: argument 'dim'/);
  const disc = mlpDiscriminator(2, rng);
  assert.throws(() => disc.logit(x), /Discriminator.logit: argument 't' is required/);
  assert.throws(() => disc.logit(tf.zeros([3, 3])), /Discriminator.logit: argument 'x' must have shape \[n, 2\]/);
  await assert.rejects(trainDiscriminator(disc, x, x, { steps: 1, rng }), /trainDiscriminator: argument 'opts.sde' must be an SDE/);
  await assert.rejects(trainDiscriminator(disc, x, tf.zeros([4, 3]) as tf.Tensor2D, { steps: 1, rng, sde: vpSDE() }), /trainDiscriminator: argument 'fake' must have shape/);
  assert.throws(() => guidedScore("nope" as never, disc), /guidedScore: argument 'score' must be/);
  assert.throws(() => guidedScore((a) => a, disc, { tRange: [1, 0] }), /guidedScore: argument 'opts.tRange'/);
  assert.throws(() => sampleImportanceResample(x, [1, 2], { n: 3, rng }), /sampleImportanceResample: argument 'logRatio' must have one entry per row/);
  assert.throws(() => exactLogRatio(vpSDE(), new GaussianMixture({ weights: [1], means: [[0]] }), new GaussianMixture({ weights: [1], means: [[0, 0]] })), /exactLogRatio: argument 'q' must have the dimension/);
  disc.dispose(); x.dispose();
});

test("no tensor leak across repeated training, guidance and reweighting", async () => {
  await initBackend();
  const sde = vpSDE();
  const rng = new Rng(1);
  const p = new GaussianMixture({ weights: [1], means: [[1, 0]] });
  const q = new GaussianMixture({ weights: [1], means: [[0, 0]] });
  const real = p.sample(64, rng), fake = q.sample(64, rng);
  const disc = mlpDiscriminator(2, rng);
  const run = async () => {
    await trainDiscriminator(disc, real, fake, { steps: 3, rng, sde, batchSize: 16 });
    const g = guidedScore(mixtureScore(sde, q).score, disc, { w: 2 });
    const x = rng.normal([8, 2]), t = tf.fill([8], 0.5);
    const s = g(x, t);
    const lr = tf.tidy(() => logRatioFromOutput(disc.logit(x, t)));
    const r = sampleImportanceResample(x as tf.Tensor2D, lr, { n: 4, rng });
    const rj = rejectionSample(x as tf.Tensor2D, lr, { rng });
    tf.dispose([x, t, s, lr, r.x, rj.x]);
  };
  await run();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await run();
  assert.equal(tf.memory().numTensors, before);
  disc.dispose(); tf.dispose([real, fake]);
});
