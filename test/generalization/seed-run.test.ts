import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { memorization } from "../../src/generalization/memorization";
import { defaultSizes, generalizationSeed } from "../../src/generalization/seed-run";

test("the copy rate of fresh samples is the closed form (1/3)^2 = 1/9 where the training points are dense", async () => {
  await initBackend();
  // For a locally homogeneous Poisson process in the plane, (d1 / d2)^2 is uniform on (0, 1) (scaling of the
  // expected count in a disc, which holds at a straight edge too), so P(d1 < d2 / 3) = 1/9. 4,000 queries: binomial
  // sd 0.005; the queries share training points, so 0.02 (4 sd) is the tolerance.
  const rng = new Rng(3);
  const train = rng.uniform([4000, 2], 0, 1), fresh = rng.uniform([4000, 2], 0, 1);
  const r = memorization(fresh, train);
  assert.ok(Math.abs(r.memorizationRate - 1 / 9) < 0.02, `fresh copy rate ${r.memorizationRate}`);
  tf.dispose([train, fresh]);
});

test("one seed: the nulls carry no information, the empirical optimum carries log 2; same seed, same rows; no leak", async () => {
  await initBackend();
  const o = { ...defaultSizes(true), models: ["empirical-optimum", "true-score", "fresh-data"] as const, samples: 400, testSize: 200, samplerSteps: 30, n: 8, seed: 4 };
  const before = tf.memory().numTensors;
  const steps: number[] = [];
  const rows = await generalizationSeed({ ...o, models: [...o.models], onStep: (p) => steps.push(p.step) });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(steps, [1, 2, 3]);
  const v = (model: string, metric: string) => rows.find((r) => r.model === model && r.metric === metric)!.value;
  // The empirical optimum with DDIM lands every sample on a point of its own set: the 2 x 2 table is diagonal and
  // the plug-in equals H(L) = log 2 up to the label balance (equal sample counts per set: exactly log 2).
  assert.equal(v("empirical-optimum", "own_set_fraction"), 1);
  assert.ok(Math.abs(v("empirical-optimum", "mi_nearest_set") - Math.LN2) < 1e-9);
  // Nulls: 2N * I is asymptotically chi^2_1 for independent L, B (N = 800 samples): P(chi^2_1 > 15) = 1e-4.
  for (const m of ["fresh-data", "true-score"]) {
    assert.ok(v(m, "mi_nearest_set") < 15 / (2 * 800), `${m} MI ${v(m, "mi_nearest_set")}`);
    assert.ok(Math.abs(v(m, "own_set_fraction") - 0.5) < 4 * Math.sqrt(0.25 / 800), `${m} own-set fraction`);
  }
  // Fresh data has no score, so no DSM rows; the others have all ten metrics.
  assert.equal(rows.filter((r) => r.model === "fresh-data").length, 7);
  assert.equal(rows.filter((r) => r.model === "empirical-optimum").length, 10);
  // The Monte Carlo standard error of a diagonal table of N = 800 is the chi-square term alone, 1 / (800 sqrt 2).
  assert.ok(Math.abs(v("empirical-optimum", "mi_standard_error") - 1 / (800 * Math.SQRT2)) < 1e-12);
  const again = await generalizationSeed({ ...o, models: [...o.models] });
  assert.deepEqual(again, rows);
  await assert.rejects(generalizationSeed({ ...o, models: ["oracle" as never] }), /generalizationSeed: argument 'opts.models' must name generators among/);
  await assert.rejects(generalizationSeed({ ...o, models: [...o.models], samples: 1 }), /generalizationSeed: argument 'opts.samples'/);
});

test("the MMD^2 null (two independent samples of the true law) is centred at 0: the unbiased statistic over 8 seeds", async () => {
  await initBackend();
  const o = { ...defaultSizes(true), models: ["fresh-data" as const], samples: 200, testSize: 200, n: 8 };
  const vals: number[] = [];
  for (let seed = 0; seed < 8; seed++) vals.push((await generalizationSeed({ ...o, seed })).find((r) => r.metric === "mmd2_test")!.value);
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (vals.length - 1));
  // E[MMD^2_u] = 0 under the null: the mean lies within 4 standard errors of 0, and some draws are negative.
  assert.ok(Math.abs(mean) < 4 * sd / Math.sqrt(vals.length), `mean ${mean} sd ${sd}`);
  assert.ok(vals.some((x) => x < 0), `${vals}`);
});

test("the DSM MLP is early-stopped on its validation set: steps within the cap, one convergence outcome per run", async () => {
  await initBackend();
  const o = { ...defaultSizes(true), models: ["dsm-mlp" as const], steps: 60, evalEvery: 10, patience: 2, valSize: 16, samples: 32, testSize: 32, samplerSteps: 10, width: 16, depth: 1, n: 8, seed: 1 };
  const before = tf.memory().numTensors;
  const rows = await generalizationSeed(o);
  assert.equal(tf.memory().numTensors, before);
  const v = (metric: string) => rows.find((r) => r.metric === metric)!.value;
  // Averages over the seed's two runs: steps run within the cap, the kept weights' step at most the steps run,
  // both multiples of the evaluation interval (a half-sum of two multiples of 10 is a multiple of 5).
  assert.ok(v("steps_run") > 0 && v("steps_run") <= 60 && v("best_step") <= v("steps_run"), `${v("steps_run")} ${v("best_step")}`);
  assert.equal(v("best_step") % 5, 0);
  const outcomes = ["stopped", "plateau", "improving"].map((k) => v(`converged_${k}`));
  assert.ok(outcomes.every((x) => [0, 0.5, 1].includes(x)));
  assert.equal(outcomes.reduce((a, b) => a + b, 0), 1);
  // A validation set is drawn on a fork of its own: changing its size leaves every other draw of the seed as it was.
  const other = await generalizationSeed({ ...o, models: ["fresh-data"], valSize: 64 });
  const same = await generalizationSeed({ ...o, models: ["fresh-data"] });
  assert.deepEqual(other, same);
  await assert.rejects(generalizationSeed({ ...o, patience: 0 }), /generalizationSeed: argument 'opts.patience'/);
});
