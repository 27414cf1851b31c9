import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { singleGaussian } from "../../src/data/gmm";
import { gaussianScore } from "../../src/score/exact";
import { eulerMaruyama, probabilityFlowHeun } from "../../src/sample";
import { autoguidance, classifierFreeGuidance } from "../../src/guidance/guided";
import { exactClassScores } from "../../src/guidance/exact-classes";

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

test("guidance composes exactly: CFG of equal-covariance Gaussians is the Gaussian with mean (1 + w) mu_c - w mu_u, through every sampler", async () => {
  await initBackend();
  const sde = vpSDE();
  const cov = [[0.5, 0.1], [0.1, 0.8]], muC = [1, -1], muU = [0.2, 0.5], w = 2;
  const cond = gaussianScore(sde, muC, cov), uncond = gaussianScore(sde, muU, cov);
  const shifted = gaussianScore(sde, muC.map((m, i) => (1 + w) * m - w * muU[i]), cov);
  const guided = classifierFreeGuidance(cond.score, uncond.score, { scale: w });
  const x = new Rng(1).normal([32, 2], 0, 2), t = new Rng(2).uniform([32], 1e-3, 1);
  const g = guided(x, t), sh = shifted.score(x, t);
  // The two sides are algebraically equal linear maps of x; float32 rounding on scores up to ~1e3 at t = 1e-3.
  assert.ok(maxAbs(g, sh) < 1e-5 * tf.max(tf.abs(sh)).dataSync()[0], `score off by ${maxAbs(g, sh)}`);
  for (const sampler of [probabilityFlowHeun, eulerMaruyama]) {
    const a = await sampler(guided, sde, { n: 64, steps: 40, rng: new Rng(5), shape: [2] }) as tf.Tensor;
    const b = await sampler(shifted.score, sde, { n: 64, steps: 40, rng: new Rng(5), shape: [2] }) as tf.Tensor;
    // Same noise, same steps, equal fields up to float32 rounding.
    assert.ok(maxAbs(a, b) < 1e-3, `${sampler.name}: samples differ by ${maxAbs(a, b)}`);
    tf.dispose([a, b]);
  }
  // Autoguidance is the same combination with the guide as the weaker model: (1 + w) main - w guide.
  const auto = autoguidance(cond.score, uncond.score, { scale: w })(x, t);
  assert.ok(maxAbs(auto, g) < 1e-6 * tf.max(tf.abs(g)).dataSync()[0]);
  assert.equal(classifierFreeGuidance(cond.score, uncond.score, { scale: 0 }), cond.score, "scale 0 is the conditional score itself");
  tf.dispose([x, t, g, sh, auto]);
  [cond, uncond, shifted].forEach((m) => m.dispose());
});

test("bad guidance input: a non-finite scale or a missing score names the function and the argument", () => {
  const sde = vpSDE();
  const exact = exactClassScores(sde, [singleGaussian([-2], 0.5), singleGaussian([2], 0.5)]);
  for (const scale of [Number.NaN, Infinity, -Infinity]) {
    assert.throws(() => classifierFreeGuidance(exact.classScore(0), exact.score, { scale }), /classifierFreeGuidance: argument 'opts\.scale' must be a finite number/);
    assert.throws(() => autoguidance(exact.classScore(0), exact.score, { scale }), /autoguidance: argument 'opts\.scale' must be a finite number/);
  }
  assert.throws(() => classifierFreeGuidance(exact.classScore(0), null as never, { scale: 1 }), /classifierFreeGuidance: argument 'uncond' must be a score function/);
});
