import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { RESULT_COLUMNS, ResultsTable } from "../../src/table";
import { DIGITS_MARGIN_BPD, digitsVerdict, fusionStudyDigits, uniformBitsPerDim } from "../../src/fusion";

test("a quick digits study run finishes and yields a well-formed bits/dim table with every reference", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const r = await fusionStudyDigits({ quick: true, ns: [25], seeds: [0] });
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  for (const c of [...RESULT_COLUMNS, "n"]) assert.ok(r.table.columnNames().includes(c), `column ${c}`);
  const rows = r.table.objects();
  // auxiliary A, B; per cell fused, best-auxiliary, target-only, fine-tuned, pooled, histogram.
  assert.equal(rows.length, 2 + 6);
  rows.forEach((x) => {
    assert.equal(x.metric, "bpd");
    assert.ok(Number.isFinite(x.value) && x.value > 0, `${x.model} bpd = ${x.value}`);
  });
  // The histogram is a proper density over 17 levels fitted on 20 images: below the uniform level on digits.
  assert.ok(rows.find((x) => x.model === "histogram")!.value < uniformBitsPerDim(17));
  assert.equal(r.weights.length, 1);
  assert.ok(Math.abs(r.weights[0].weights.reduce((a, v) => a + v, 0) - 1) < 1e-9);
  assert.match(r.measured, /bits\/dim/);
  assert.equal(r.reproduced, "no", "one seed is never a verdict");
  assert.ok(r.untested.some((u) => /trend in n/.test(u)));
});

test("digits study rejects a target size larger than the images available", async () => {
  await assert.rejects(fusionStudyDigits({ quick: true, ns: [100000] }), /fusionStudyDigits: argument 'opts.ns\[0\]' must be <=/);
});

test("the digits study's cells on the sweep's local executor give exactly the inline table", async () => {
  await initBackend();
  const opts = { quick: true, ns: [25], seeds: [0, 1], auxSteps: 40, steps: 30, tuneSteps: 20, testSize: 20 };
  const inline = await fusionStudyDigits(opts);
  const local = await fusionStudyDigits({ ...opts, executor: "local", concurrency: 2 });
  // Exact: the trials load the auxiliaries from float32 checkpoints (a lossless round trip) and every draw of a
  // cell is seeded from (n, seed), so nothing may differ, not even in the last bit.
  assert.deepEqual(local.table.objects(), inline.table.objects());
  assert.equal(inline.table.objects().filter((r) => r.model === "fused").length, 2);
  assert.deepEqual(local.weights, inline.weights);
  assert.equal(local.measured, inline.measured);
  await assert.rejects(fusionStudyDigits({ quick: true, executor: "redis" as never }), /fusionStudyDigits: argument 'opts.executor' must be "inline" or "local"/);
});

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
  const r = digitsVerdict(digitsTable((_m, _n, s) => 4.5 + jitter(s)), ns, seeds, [4.5, 4.6], weights, [], 0, false, 1);
  assert.equal(r.checks.length, 7);
  r.checks.forEach((c) => assert.equal(c.passed, false, c.text));
  assert.equal(r.reproduced, "no");
  assert.match(r.measured, /^full mode: 5 seeds\./);
});

test("a digits run that beats every reference by more than the margin, with a shrinking advantage, gives 'yes'", () => {
  const gap = 10 * DIGITS_MARGIN_BPD;
  const r = digitsVerdict(digitsTable((m, n, s) => (m === "fused" ? 2 : m === "target-only" && n === 25 ? 2 + 3 * gap : 2 + gap) + jitter(s) * (m === "fused" ? 1 : 2)),
    ns, seeds, [2.5, 2.6], weights, [], 0, true, 1);
  r.checks.forEach((c) => assert.equal(c.passed, true, c.text));
  assert.equal(r.reproduced, "yes");
  assert.match(r.measured, /^quick mode: 5 seeds\./);
  assert.ok(r.checks.every((c) => c.margin === DIGITS_MARGIN_BPD), "one threshold for the claim");
});

test("beating target-only but not the histogram is 'partly', and the gap inside the margin does not pass", () => {
  const r = digitsVerdict(digitsTable((m, n, s) => (m === "fused" ? 3 : m === "histogram" ? 2.7 : m === "target-only" && n === 25 ? 9 : 3 + DIGITS_MARGIN_BPD / 2) + jitter(s)),
    ns, seeds, [4, 4], weights, [], 0, false, 1);
  const by = (re: RegExp) => r.checks.find((c) => re.test(c.referenceName))!;
  assert.equal(by(/^target-only/).passed, true);
  assert.equal(by(/uniform/).passed, true);
  assert.equal(by(/histogram/).passed, false);
  assert.equal(by(/pooled/).passed, false, "better by half the margin is not enough");
  assert.equal(r.reproduced, "partly");
});
