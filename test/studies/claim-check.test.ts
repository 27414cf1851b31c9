// A claim against its reference over seeds (src/studies/claim-check.ts): the interval arithmetic by hand, the rule
// "passes only when the interval of the difference clears the margin", and the verdict and main-job plumbing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkClaim, isClaimCheck, reproducedFrom, verdict, verdictFromJSON } from "../../src/studies";
import { studentTQuantile } from "../../src/sweep/interval";
import { readVerdict } from "../../src/cli/main-job";

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("against a fixed level: the interval of the mean minus the level, and the margin decides", () => {
  // values 1, 2, 3: mean 2, sample std 1, half-width t_{0.975,2} / sqrt(3) = 2.484; difference to 5 is -3 +- 2.484.
  const c = checkClaim({ quantity: "bits/dim", values: [1, 2, 3], reference: { name: "uniform", value: 5 }, direction: "below" });
  close(c.difference.mean, -3);
  close(c.difference.halfWidth, studentTQuantile(0.975, 2) / Math.sqrt(3));
  assert.equal(c.passed, true);
  assert.match(c.text, /bits\/dim: 2 \[-0\.484\d*, 4\.48\d*\] over 3 seeds; uniform: 5; difference -3/);
  // The interval's top, -0.516, does not clear a margin of 1, and the other side never passes.
  assert.equal(checkClaim({ quantity: "q", values: [1, 2, 3], reference: { name: "u", value: 5 }, direction: "below", margin: 1 }).passed, false);
  assert.equal(checkClaim({ quantity: "q", values: [1, 2, 3], reference: { name: "u", value: 5 }, direction: "above" }).passed, false);
  // Spread wide enough to cover the level: no pass although the mean is below.
  assert.equal(checkClaim({ quantity: "q", values: [0, 4, 8], reference: { name: "u", value: 5 }, direction: "below" }).passed, false);
});

test("paired by seed: the interval of the per-seed differences", () => {
  const c = checkClaim({ quantity: "q", values: [3, 4, 5], reference: { name: "base", values: [2, 3, 4.5], paired: true }, direction: "above" });
  // differences 1, 1, 0.5: mean 5/6, std sqrt(1/12).
  close(c.difference.mean, 5 / 6);
  close(c.difference.halfWidth, studentTQuantile(0.975, 2) * Math.sqrt(1 / 12) / Math.sqrt(3));
  assert.equal(c.passed, true);
  // Unpaired, the same numbers overlap too much for Welch's interval to clear zero.
  assert.equal(checkClaim({ quantity: "q", values: [3, 4, 5], reference: { name: "base", values: [2, 3, 4.5] }, direction: "above" }).passed, false);
  assert.throws(() => checkClaim({ quantity: "q", values: [3, 4], reference: { name: "b", values: [1], paired: true }, direction: "above" }), /paired with spec.values must have 2 values/);
});

test("unpaired: Welch's interval with floored Welch-Satterthwaite degrees of freedom", () => {
  const a = [1, 2, 3, 4], b = [2, 4, 6];
  const va = (5 / 3) / 4, vb = 4 / 3;
  const df = (va + vb) ** 2 / (va ** 2 / 3 + vb ** 2 / 2); // 3.23
  const c = checkClaim({ quantity: "q", values: a, reference: { name: "null", values: b }, direction: "below" });
  close(c.difference.mean, -1.5);
  close(c.difference.halfWidth, studentTQuantile(0.975, Math.floor(df)) * Math.sqrt(va + vb));
  assert.equal(c.passed, false);
});

test("one seed is never judged, and bad specs are one clear error", () => {
  const c = checkClaim({ quantity: "q", values: [1], reference: { name: "u", value: 5 }, direction: "below" });
  assert.equal(c.passed, false);
  assert.match(c.text, /not judged: one seed/);
  assert.throws(() => checkClaim({ quantity: "q", values: [1, NaN], reference: { name: "u", value: 5 }, direction: "below" }), /checkClaim: argument 'spec.values' must be a non-empty array of finite numbers/);
  assert.throws(() => checkClaim({ quantity: "q", values: [1, 2], reference: { name: "u", value: 5 }, direction: "less" as never }), /spec.direction/);
  assert.throws(() => checkClaim({ quantity: "q", values: [1, 2], reference: { name: "", value: 5 }, direction: "below" }), /spec.reference/);
  assert.throws(() => checkClaim({ quantity: "q", values: [1, 2], reference: { name: "u", value: 5 }, direction: "below", margin: -1 }), /spec.margin/);
});

test("a verdict carries its checks and untested parts to the main job", () => {
  const pass = checkClaim({ quantity: "fused below uniform", values: [3.3, 3.4, 3.2], reference: { name: "uniform", value: Math.log2(17) }, direction: "below" });
  const failed = checkClaim({ quantity: "fused below histogram", values: [3.3, 3.4, 3.2], reference: { name: "histogram", values: [2.7, 2.6, 2.8] }, direction: "below" });
  assert.equal(reproducedFrom([pass, failed]), "partly");
  const v = verdict({ claim: "c", measured: "m", reproduced: reproducedFrom([pass, failed]), mode: "full", checks: [pass, failed], untested: ["FID"] });
  assert.match(v.toString(), /CHECK \[pass\] fused below uniform[^\n]*\nCHECK \[fail\] fused below histogram[^\n]*\nNOT TESTED: FID\nREPRODUCED: partly$/);
  const back = verdictFromJSON(JSON.parse(JSON.stringify(v.toJSON())));
  assert.ok(back && back.checks.length === 2 && back.checks.every(isClaimCheck));
  const nb = { cells: [{ cell_type: "code", metadata: { tags: ["summary"] }, outputs: [{ output_type: "display_data", data: v.toMimeBundle() as Record<string, unknown> }] }] };
  assert.deepEqual(readVerdict(nb).checks.map((c) => c.passed), [true, false]);
  assert.throws(() => verdict({ claim: "c", measured: "m", reproduced: "yes", mode: "full", checks: [{ quantity: "x" } as never] }), /data.checks/);
});
