import { test } from "node:test";
import assert from "node:assert/strict";
import { reproducedFrom } from "../../src/studies/verdict";
import type { TrainedScheduleRow } from "../../src/bounds/trained-schedules";
import { agreementChecks, seedAgreement } from "../../src/bounds/schedule-agreement";

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
