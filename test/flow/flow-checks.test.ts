import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor";
import { gaussianKL } from "../../src/bounds/gaussian";
import { flowChecks, GAP_MARGIN, NOVELTY_MARGIN, samplingKL } from "../../src/flow/flow-checks";
import { particleMoments } from "../../src/flow/gaussian-fit";
import { reproducedFrom } from "../../src/studies";
import type { ResultRow } from "../../src/table";

/**
 * Rows of a made-up run over 5 seeds: the source is at held-out distance 0.55, the null level (an independent
 * sample) 0.13; a fresh sample's median distance to the training samples 0.036. `flow` says where the flowed
 * particles land. The Gaussian part is a flow that follows its closed form and removes KL.
 */
function run(flow: { sw: number; nn: number }): ResultRow[] {
  const rows: ResultRow[] = [];
  for (let seed = 0; seed < 5; seed++) {
    const e = 0.01 * (seed - 2);
    const k = { experiment: "sdflow-kernel", dataset: "ring8", seed };
    rows.push(
      { ...k, model: "source", metric: "sw-heldout", value: 0.55 + e }, { ...k, model: "fresh-sample", metric: "sw-heldout", value: 0.13 + e },
      { ...k, model: "sd-flow", metric: "sw-heldout", value: flow.sw + e },
      { ...k, model: "fresh-sample", metric: "median-nn-train", value: 0.036 + e / 10 }, { ...k, model: "sd-flow", metric: "median-nn-train", value: flow.nn + e / 10 },
    );
    const g = { experiment: "sdflow-gaussian", dataset: "gaussian-2d", seed, n: 800 };
    rows.push(
      { ...g, model: "sd-flow", metric: "kl-to-target", value: 7 + e, tau: 0 }, { ...g, model: "sd-flow", metric: "kl-to-target", value: 1e-4, tau: 5 },
      { ...g, model: "sd-flow", metric: "kl-departure", value: 0, tau: 0 }, { ...g, model: "sd-flow", metric: "kl-departure", value: 2e-4 + e / 1000, tau: 1 },
    );
  }
  return rows;
}

test("the verdict follows the rule: no transport and pure copies fail, a generator at the null level passes", () => {
  // A flow that does not move (its particles are the source): no transport, and it is judged "no" on that claim.
  const still = flowChecks(run({ sw: 0.55, nn: 0.036 }));
  assert.equal(still[0].passed, false);
  assert.ok(Math.abs(still[0].measured.mean) < 1e-12);
  // Pure memorization: held-out distance exactly at the null level, particles on the training samples. Held-out
  // distance alone would say yes; the copy check says no, so the verdict is "partly", never "yes".
  const copies = flowChecks(run({ sw: 0.13, nn: 0.0001 }));
  assert.deepEqual(copies.map((c) => c.passed), [true, false, true, true]);
  assert.equal(reproducedFrom(copies), "partly");
  // A generator as good as a fresh sample passes every check.
  const fresh = flowChecks(run({ sw: 0.13, nn: 0.036 }));
  assert.deepEqual(fresh.map((c) => c.passed), [true, true, true, true]);
  assert.equal(reproducedFrom(fresh), "yes");
  // The thresholds are the named constants and are printed with their checks.
  assert.equal(fresh[0].margin, GAP_MARGIN);
  assert.equal(fresh[1].margin, NOVELTY_MARGIN);
  assert.match(fresh[0].text, /above by more than 0\.9/);
  // Closing 80% of the gap misses a 90% threshold: (0.55 - 0.214) / (0.55 - 0.13) = 0.8.
  assert.equal(flowChecks(run({ sw: 0.214, nn: 0.036 }))[0].passed, false);
  assert.throws(() => flowChecks(run({ sw: 0.1, nn: 0.03 }).filter((r) => r.model !== "source")), /flowChecks: argument 'rows' have no 'sw-heldout' of 'source'/);
});

test("samplingKL is the mean KL of a Gaussian fit to n samples (Wilks: 2n KL ~ chi-square with d + d(d+1)/2 dof)", () => {
  const rng = new Rng(11);
  const n = 200, fits = 300;
  const x = rng.normal([fits * n, 2]);
  const v = x.dataSync();
  let sum = 0;
  for (let f = 0; f < fits; f++) {
    const t = tf.tensor2d(v.subarray(f * n * 2, (f + 1) * n * 2), [n, 2]);
    sum += gaussianKL(particleMoments(t), { mean: [0, 0], cov: [[1, 0], [0, 1]] });
    t.dispose();
  }
  x.dispose();
  // 2n KL has variance 2k = 10, so the mean of 300 fits has a standard error of sqrt(10/300)/(2n) = 4.6e-4, 3.7% of
  // the expected 0.0125; 15% is four standard errors. A wrong k (3 or 7) is 40% off.
  assert.equal(samplingKL(2, 800), 5 / 1600);
  assert.ok(Math.abs(sum / fits / samplingKL(2, n) - 1) < 0.15, `mean KL ${sum / fits} vs ${samplingKL(2, n)}`);
});
