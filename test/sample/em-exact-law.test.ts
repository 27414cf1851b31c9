/**
 * Issue 19, item 9: lab.bounds.exactGaussianKL({ sampler: "euler" }) is the law of lab.eulerMaruyama (whose last
 * step adds no noise), and `lastStepNoise: true` names the textbook scheme; the VE marginal std is accurate in
 * float32 at small t (expm1).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { exponentialSchedule, veSDE, vpSDE } from "../../src/sde";
import { exactGaussianKL } from "../../src/bounds";
import { gaussianScore } from "../../src/score/exact";
import { eulerMaruyama } from "../../src/sample";
import { momentErrors, moments } from "./gaussian-law";

test("eulerMaruyama's sample moments match exactGaussianKL's euler law, not the one with last-step noise (VP, 10 steps)", async () => {
  await initBackend();
  const sde = vpSDE();
  const target = { mean: [1, -0.5], cov: [[0.3, 0.1], [0.1, 0.2]] };
  const model = gaussianScore(sde, target.mean, target.cov);
  const n = 20000;
  const x = await eulerMaruyama(model.score, sde, { n, steps: 10, rng: new Rng(4), shape: [2] });
  const got = moments(x);
  const law = exactGaussianKL({ sde, target, steps: 10, sampler: "euler" });
  const textbook = exactGaussianKL({ sde, target, steps: 10, sampler: "euler", lastStepNoise: true });
  // 5 standard errors per entry (gaussian-law.ts's momentErrors): a false alarm per entry is about 6e-7.
  assert.deepEqual(momentErrors(got, law, n, 5), []);
  // The last step's noise g(t_9)^2 h is about 0.21 on the diagonal: far outside 5 standard errors (about 0.003).
  assert.ok(Math.abs(textbook.cov[0][0] - law.cov[0][0] - 0.21) < 0.01, `${textbook.cov[0][0]} - ${law.cov[0][0]}`);
  assert.notDeepEqual(momentErrors(got, textbook, n, 5), []);
  x.dispose();
  model.dispose();
});

test("exactGaussianKL refuses a non-boolean lastStepNoise", () => {
  const target = { mean: [0], cov: 1 };
  assert.throws(() => exactGaussianKL({ sde: vpSDE(), target, steps: 3, lastStepNoise: "yes" as never }), /exactGaussianKL: argument 'lastStepNoise' must be true or false/);
});

test("the VE and exponential-schedule marginals in float32 agree with float64 at t = 1e-5 (expm1)", async () => {
  await initBackend();
  const t = tf.tensor1d([1e-5, 1e-3, 0.5]);
  for (const sde of [veSDE(), vpSDE({ schedule: exponentialSchedule({ a: 4 }) })]) {
    const std = sde.marginal(t).std.arraySync() as number[];
    [1e-5, 1e-3, 0.5].forEach((u, i) => {
      const want = sde.marginalAt(u).std;
      // float32 keeps 6e-8 relative per operation; a few operations stay under 1e-6. e^x - 1 gave 2.4e-5 at 1e-5.
      assert.ok(Math.abs(std[i] / want - 1) < 1e-6, `${sde.describe()} t=${u}: ${std[i]} vs ${want}`);
    });
  }
  t.dispose();
});
