import { test } from "node:test";
import assert from "node:assert/strict";
import { exponentialSchedule } from "../../src/sde";
import { isAbortError } from "../../src/tensor";
import { reproducedFrom } from "../../src/studies";
import { scheduleStudy, trainedSchedules, seedAgreement, agreementChecks, exactGaussianKL, RANK_MARGIN, type TrainedScheduleRow } from "../../src/bounds";

test("quick study: the verdict's parts, judged by the rule; the exact-score U kept in the summary", async () => {
  const r = await scheduleStudy({ quick: true });
  // Moved from test/flow/flow-study.test.ts: the exact-score interior optimum at d = 10 (a = 4).
  assert.match(r.summary, /d = 10: exact KL is smallest at a = 4 .*interior optimum/);
  // Four trained-score figures (KL against a, bound against a, rho against d, argmins against d) and the three
  // exact-score ones (was 2 before the trained half: the old a-sweep and step-count figures).
  assert.equal(r.figures.length, 7);
  assert.equal(r.mode, "quick");
  assert.equal(r.checks.length, 4);
  assert.match(r.checks[3].quantity, /^sanity/);
  // The verdict comes from the three headline checks only, never from the sanity check.
  assert.equal(r.reproduced, reproducedFrom(r.checks.slice(0, 3)));
  assert.match(r.measured, /quick mode: 3 seeds/);
  assert.ok(r.checks.every((c) => c.measured.n === 3));
  // The rank check prints its one threshold.
  assert.equal(r.checks[1].margin, RANK_MARGIN);
  const trained = r.table.objects().filter((x) => x.experiment === "schedule-a-trained");
  // 3 seeds x (11 exponential + cosine) schedules x 6 metrics.
  assert.equal(trained.length, 3 * 12 * 6);
});

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

/** Synthetic schedules: the exact KL is U-shaped in a (best at a = 2 on the grid, a = 1.5 off it) with a per-seed wobble; `bound` maps it. */
function synthetic(seed: number, bound: (kl: number, a: number | null) => number): TrainedScheduleRow[] {
  const rows: TrainedScheduleRow[] = [-4, -2, 0, 2, 4].map((a) => {
    const kl = 0.01 * (1 + (a - 1.5) ** 2) * (1 + 0.05 * Math.sin(7 * seed + a));
    return { schedule: `exp(a=${a})`, a, kl, klExactScore: kl / 2, bound: bound(kl, a), e1: 0, e2: 0, e3: 0 };
  });
  const kl = 0.02 * (1 + 0.05 * Math.cos(seed));
  rows.push({ schedule: "cosine", a: null, kl, klExactScore: kl / 2, bound: bound(kl, null), e1: 0, e2: 0, e3: 0 });
  return rows;
}

test("the checks follow the rule: a bound that tracks the KL passes; one that only picks linear, or one seed, does not", () => {
  const seeds = [0, 1, 2, 3, 4];
  const agree = agreementChecks(new Map([[10, seeds.map((s) => seedAgreement(synthetic(s, (kl) => 100 * kl)))]]), [-4, 4], 6);
  assert.deepEqual(agree.headline.map((c) => c.passed), [true, true, true]);
  assert.ok(agree.sanity.passed);
  assert.equal(reproducedFrom(agree.headline), "yes");
  // A bound whose minimum sits at the linear schedule and that is otherwise unrelated to the KL: its choice is the
  // reference itself (difference 0), and its ranking is not the KL's. The KL's U is still there.
  const linearOnly = agreementChecks(new Map([[10, seeds.map((s) => seedAgreement(synthetic(s, (kl, a) => 10 + (a === null ? 5 : Math.abs(a)))))]]), [-4, 4], 6);
  assert.deepEqual(linearOnly.headline.map((c) => c.passed), [true, false, false]);
  assert.equal(reproducedFrom(linearOnly.headline), "partly");
  // A bound below the KL fails the sanity check.
  assert.ok(!agreementChecks(new Map([[10, seeds.map((s) => seedAgreement(synthetic(s, (kl) => kl / 2)))]]), [-4, 4], 6).sanity.passed);
  // One seed never passes, however good the agreement.
  const one = agreementChecks(new Map([[10, [seedAgreement(synthetic(0, (kl) => 100 * kl))]]]), [-4, 4], 6);
  assert.ok(one.headline.every((c) => !c.passed));
  assert.throws(() => seedAgreement(synthetic(0, (kl) => kl).filter((r) => r.a !== 0)), /seedAgreement: argument 'rows'/);
});

test("the seeds as trials of the sweep's local executor give the in-process numbers", async () => {
  const o = { quick: true, dims: [3], seeds: [0, 1], n: 60, passes: 1 };
  const local = await scheduleStudy({ ...o, executor: "local" });
  const here = await scheduleStudy(o);
  const pick = (r: typeof here) => r.table.objects().filter((x) => x.experiment === "schedule-a-trained").map((x) => [x.seed, x.schedule, x.metric, x.value]);
  assert.deepEqual(pick(local), pick(here));
  assert.deepEqual(local.checks.map((c) => c.text), here.checks.map((c) => c.text));
});

test("an aborted study throws an AbortError; bad options error with the argument named", async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(scheduleStudy({ quick: true, signal: ac.signal }), (e) => isAbortError(e));
  await assert.rejects(scheduleStudy({ executor: "redis" as never }), /scheduleStudy: argument 'opts.executor'/);
  await assert.rejects(scheduleStudy({ dims: [0] }), /scheduleStudy: argument 'opts.dims'/);
  await assert.rejects(scheduleStudy({ seeds: [] }), /scheduleStudy: argument 'opts.seeds'/);
  await assert.rejects(scheduleStudy({ seeds: [1, 1] }), /must not repeat a seed/);
  assert.throws(() => trainedSchedules({ seed: 0, as: [] }), /trainedSchedules: argument 'opts.as'/);
});
