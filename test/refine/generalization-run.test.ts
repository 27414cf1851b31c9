import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { GaussianMixture } from "../../src/data";
import { STUDY_DATA, STUDY_MODEL, modeWeightError, refineConfigs, refineGeneralizationRun } from "../../src/refine/generalization-run";
import { refineGenerator } from "../../src/refine/refine-generator";
import { refinedKL } from "../../src/refine/refined-kl";

const tiny = { seed: 0, ns: [25], widths: [4], n0: 25, width0: 4, steps: 30, fakeSize: 200, testSize: 200, poolSize: 300 };
const WEIGHT_KL = 0.5 * Math.log(0.5 / 0.8) + 0.5 * Math.log(0.5 / 0.2);

test("refineGeneralizationRun: the refined model is refineGenerator's, its KL refinedKL's; the base KL is the weights' closed form", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const rows = await refineGeneralizationRun(tiny);
  assert.equal(tf.memory().numTensors, before);
  const value = (model: string, metric: string) => rows.find((r) => r.model === model && r.metric === metric)!.value;
  // The same call a user makes, with the run's seeds (rng 7000 + seed: data fork 100 + n, held-out fork 2, refinement fork 4).
  const p = new GaussianMixture(STUDY_DATA), q = new GaussianMixture(STUDY_MODEL), rng = new Rng(7000);
  const real = p.sample(25, rng.fork(125)), test_ = p.sample(200, rng.fork(2));
  const r = await refineGenerator(q, real, { rng: rng.fork(4), method: "sir", n: 200, trainSize: 200, pool: 300, steps: 30, discriminator: { width: 4, depth: 2 } });
  const kl = refinedKL({ test: test_, logP: (x) => p.logDensity(x), logQ: (x) => q.logDensity(x), refined: r });
  // Same seeds, same process and backend: the same numbers (1e-9 allows only reduction-order rounding).
  assert.ok(Math.abs(value("refined", "heldout_kl") - kl.refined) < 1e-9, `${value("refined", "heldout_kl")} against ${kl.refined}`);
  assert.ok(Math.abs(value("refined", "heldout_kl_se") - kl.refinedSE) < 1e-9);
  assert.equal(value("refined", "ess_fraction"), r.essFraction);
  assert.equal(value("refined", "mode_weight_error"), modeWeightError(r.x));
  // log(p/q) on p is +-0.693 about its mean (modes 8 std apart): 4 standard errors on 200 points.
  assert.ok(Math.abs(value("base", "heldout_kl") - WEIGHT_KL) < 4 * 0.693 / Math.sqrt(200), `base ${value("base", "heldout_kl")}`);
  assert.ok(Math.abs(value("base", "heldout_kl_se") / (0.693 / Math.sqrt(200)) - 1) < 0.15, `base SE ${value("base", "heldout_kl_se")}`);
  r.discriminator.dispose(); tf.dispose([r.x, r.pool, real, test_]);
});

test("refineConfigs shares the point (n0, width0); bad input is one clear error", async () => {
  assert.deepEqual(refineConfigs([25, 100], [4, 32], 25, 32), [{ n: 25, width: 32 }, { n: 100, width: 32 }, { n: 25, width: 4 }]);
  await assert.rejects(refineGeneralizationRun({ ...tiny, ns: [1] }), /refineGeneralizationRun: argument 'opts.ns' must hold sizes of at least 2/);
  await assert.rejects(refineGeneralizationRun({ ...tiny, widths: [] }), /refineGeneralizationRun: argument 'opts.widths'/);
  const ac = new AbortController(); ac.abort();
  await assert.rejects(refineGeneralizationRun({ ...tiny, signal: ac.signal }), (e: Error) => e.name === "AbortError");
});
