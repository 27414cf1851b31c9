import { test } from "node:test";
import assert from "node:assert/strict";
import { exponentialSchedule, linearSchedule } from "../../src/sde";
import { exactGaussianKL } from "../../src/bounds/exact-kl";
import { klBound } from "../../src/bounds/kl-bound";
import { exactScorePart } from "../../src/bounds/schedule-exact";

test("exactScorePart's rows are exactGaussianKL's and klBound's values, and its lines name the grid's minimum", () => {
  const as = [-4, 0, 4];
  const part = exactScorePart({ dims: [2], as, steps: 10, stepList: [5, 10] });
  const target = { mean: [1, 1], cov: 0.5 };
  const sweep = part.rows.filter((r) => r.experiment === "schedule-a");
  assert.equal(sweep.length, as.length * 5, "kl, w2, bound, e1, e3 per a");
  const kls = as.map((a) => exactGaussianKL({ schedule: exponentialSchedule({ a }), target, steps: 10, sampler: "euler", lastStepNoise: true }).kl);
  as.forEach((a, i) => {
    assert.equal(sweep.find((r) => r.a === a && r.metric === "kl")!.value, kls[i]);
    assert.equal(sweep.find((r) => r.a === a && r.metric === "bound")!.value, klBound({ schedule: exponentialSchedule({ a }), target, steps: 10 }).total);
  });
  const best = as[kls.indexOf(Math.min(...kls))];
  assert.match(part.lines[0], new RegExp(`^d = 2: exact KL is smallest at a = ${best} `));
  // Four sampler variants at d = 10 over the a grid; two schedules by two step counts, kl and bound each.
  assert.equal(part.rows.filter((r) => r.experiment === "schedule-a-variants").length, 4 * as.length);
  const steps = part.rows.filter((r) => r.experiment === "schedule-steps");
  assert.equal(steps.length, 2 * 2 * 2);
  const lin5 = steps.find((r) => r.schedule === "linear" && r.steps === 5 && r.metric === "kl")!.value;
  assert.equal(lin5, exactGaussianKL({ schedule: linearSchedule(), target: { mean: new Array(10).fill(1), cov: 0.5 }, steps: 5, sampler: "euler", lastStepNoise: true }).kl);
  assert.equal(part.figures.length, 3);
  assert.equal(part.lines.length, 1 + 1 + 2);
  assert.match(part.lines[1], /^The right arm of the U \(d = 10, exact score\)/);
});
