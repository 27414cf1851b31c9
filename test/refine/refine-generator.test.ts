import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { GaussianMixture } from "../../src/data";
import { refineGenerator } from "../../src/refine/refine-generator";
import { modeWeightError } from "../../src/refine/generalization-run";

// Data 0.5/0.5 against a model with the right modes but weights 0.8/0.2: the modes are 8 std apart, so the share
// of samples left of x = 0 is the mode weight up to ~1e-15 and the mode-weight error is an exact, cheap distance.
const data = new GaussianMixture({ weights: [0.5, 0.5], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });
const model = new GaussianMixture({ weights: [0.8, 0.2], means: [[-2, 0], [2, 0]], covs: [0.25, 0.25] });

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
