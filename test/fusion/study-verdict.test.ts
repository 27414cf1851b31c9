import { test } from "node:test";
import assert from "node:assert/strict";
import { ResultsTable } from "../../src/table";
import { DIGITS_MARGIN_BPD, W1_MARGIN, digitsVerdict, verdict1D } from "../../src/fusion";

const seeds = [0, 1, 2, 3, 4];
const ns = [25, 400];
/** A finished digits run from per-model bits/dim: value(model, n, seed). */
function digitsTable(value: (model: string, n: number, seed: number) => number): ResultsTable {
  const t = new ResultsTable();
  for (const n of ns) for (const seed of seeds) {
    for (const model of ["fused", "best-auxiliary", "target-only", "fine-tuned", "pooled", "histogram"]) {
      t.append({ experiment: "fusion-digits", model, dataset: "digits-8x8", seed, n, metric: "bpd", value: value(model, n, seed) });
    }
  }
  return t;
}
const jitter = (seed: number) => 0.01 * (seed - 2);
const weights = ns.flatMap((n) => seeds.map((seed) => ({ n, seed, weights: [0.6, 0.4] })));

test("a digits run whose fused model equals its references gives 'no'", () => {
  // Every model scores the same per seed (above the uniform level): no paired difference, no check can pass.
  const r = digitsVerdict(digitsTable((_m, _n, s) => 4.5 + jitter(s)), ns, seeds, [4.5, 4.6], weights, {}, 0, false, 1);
  assert.equal(r.checks.length, 7);
  r.checks.forEach((c) => assert.equal(c.passed, false, c.text));
  assert.equal(r.reproduced, "no");
  assert.match(r.measured, /^full mode: 5 seeds\./);
});

test("a digits run that beats every reference by more than the margin, with a shrinking advantage, gives 'yes'", () => {
  const gap = 10 * DIGITS_MARGIN_BPD;
  const r = digitsVerdict(digitsTable((m, n, s) => (m === "fused" ? 2 : m === "target-only" && n === 25 ? 2 + 3 * gap : 2 + gap) + jitter(s) * (m === "fused" ? 1 : 2)),
    ns, seeds, [2.5, 2.6], weights, {}, 0, true, 1);
  r.checks.forEach((c) => assert.equal(c.passed, true, c.text));
  assert.equal(r.reproduced, "yes");
  assert.match(r.measured, /^quick mode: 5 seeds\./);
  assert.ok(r.checks.every((c) => c.margin === DIGITS_MARGIN_BPD), "one threshold for the claim");
});

test("beating target-only but not the histogram is 'partly', and the gap inside the margin does not pass", () => {
  const r = digitsVerdict(digitsTable((m, n, s) => (m === "fused" ? 3 : m === "histogram" ? 2.7 : m === "target-only" && n === 25 ? 9 : 3 + DIGITS_MARGIN_BPD / 2) + jitter(s)),
    ns, seeds, [4, 4], weights, {}, 0, false, 1);
  const by = (re: RegExp) => r.checks.find((c) => re.test(c.referenceName))!;
  assert.equal(by(/^target-only/).passed, true);
  assert.equal(by(/uniform/).passed, true);
  assert.equal(by(/histogram/).passed, false);
  assert.equal(by(/pooled/).passed, false, "better by half the margin is not enough");
  assert.equal(r.reproduced, "partly");
});

test("a 1-D run whose target-only sits at the null level and equals fused gives 'no'", () => {
  const t = new ResultsTable();
  for (const n of [32, 1024]) for (const seed of seeds) {
    for (const model of ["fused", "best-auxiliary", "target-only", "null (target sample)"]) {
      t.append({ experiment: "fusion-1d", model, dataset: "gmm-1d", seed, n, metric: "w1", value: 0.3 + jitter(seed) });
    }
  }
  const r = verdict1D(t, [32, 1024], seeds, [1.5, 1.8], weights, 0, false, 1);
  assert.equal(r.checks.length, 4);
  r.checks.forEach((c) => assert.equal(c.passed, false, c.text));
  assert.ok(r.checks.every((c) => c.margin === W1_MARGIN));
  assert.equal(r.reproduced, "no");
});
