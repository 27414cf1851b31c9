import { test } from "node:test";
import assert from "node:assert/strict";
import { exponentialSchedule } from "../../src/sde";
import { exactGaussianKL } from "../../src/bounds/exact-kl";
import { trainedSchedules } from "../../src/bounds/trained-schedules";

test("one seed of trained schedules: a positive score term, the bound above the exact KL, the exact-score KL as exactGaussianKL gives it", () => {
  const rows = trainedSchedules({ seed: 5, dim: 3, n: 100, passes: 2, as: [-4, 0, 4] });
  assert.deepEqual(rows.map((r) => r.schedule), ["exp(a=-4)", "exp(a=0)", "exp(a=4)", "cosine"]);
  for (const r of rows) {
    assert.ok(r.e2 > 0 && r.bound >= r.kl && r.kl > r.klExactScore, `${r.schedule}: ${JSON.stringify(r)}`);
  }
  const ref = exactGaussianKL({ schedule: exponentialSchedule({ a: 4 }), target: { mean: [1, 1, 1], cov: 0.5 }, steps: 100, sampler: "euler", lastStepNoise: true }).kl;
  assert.ok(Math.abs(rows[2].klExactScore - ref) < 1e-12);
  // A seed fixes everything.
  assert.deepEqual(trainedSchedules({ seed: 5, dim: 3, n: 100, passes: 2, as: [-4, 0, 4] }), rows);
});

test("bad trainedSchedules options name the argument", () => {
  assert.throws(() => trainedSchedules({ seed: 0, as: [] }), /trainedSchedules: argument 'opts.as'/);
});
