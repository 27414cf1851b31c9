import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { RESULT_COLUMNS, ResultsTable } from "../../src/table";
import { W1_MARGIN, fusionStudy1D, verdict1D } from "../../src/fusion";

test("a quick 1-D study run finishes and yields a well-formed table, checks, figure and measured text", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const recs: { step: number; total: number }[] = [];
  const r = await fusionStudy1D({ quick: true, ns: [32, 64], seeds: [0], testSize: 100, sampleSize: 100, onStep: (p) => recs.push(p) });
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  for (const c of [...RESULT_COLUMNS, "n"]) assert.ok(r.table.columnNames().includes(c), `column ${c}`);
  const rows = r.table.objects();
  // 2 auxiliaries + 2 n x 1 seed x (fused, target-only) with 2 metrics each; per cell also the null and best-auxiliary W1.
  assert.equal(rows.length, (2 + 2 * 2) * 2 + 2 * 2);
  assert.deepEqual([...new Set(rows.map((x) => x.model))].sort(), ["auxiliary-1", "auxiliary-2", "best-auxiliary", "fused", "null (target sample)", "target-only"]);
  assert.deepEqual([...new Set(rows.map((x) => x.metric))].sort(), ["loglik", "w1"]);
  rows.forEach((x) => assert.ok(Number.isFinite(x.value), `${x.model} ${x.metric} = ${x.value}`));
  rows.filter((x) => x.metric === "w1").forEach((x) => assert.ok(x.value >= 0));
  // The best auxiliary's W1 is one of the auxiliaries' own.
  const aux = rows.filter((x) => /^auxiliary/.test(x.model) && x.metric === "w1").map((x) => x.value);
  rows.filter((x) => x.model === "best-auxiliary").forEach((x) => assert.ok(aux.includes(x.value)));
  r.weights.forEach((w) => assert.ok(Math.abs(w.weights[0] + w.weights[1] - 1) < 1e-9 && w.weights.every((v) => v >= 0)));
  assert.ok(r.figure.data.length >= 4);
  // One seed gives no interval: no check passes, and the verdict says no.
  assert.equal(r.checks.length, 4);
  r.checks.forEach((c) => assert.equal(c.passed, false));
  assert.equal(r.reproduced, "no");
  assert.match(r.measured, /^quick mode: 1 seed\./);
  assert.match(r.measured, /fused/);
  // One record per auxiliary (2) and per (n, seed) cell (2), steps 1..4 of 4.
  assert.deepEqual(recs.map((p) => [p.step, p.total]), [[1, 4], [2, 4], [3, 4], [4, 4]]);
});

test("study options are validated", async () => {
  await assert.rejects(fusionStudy1D({ ns: [] }), /fusionStudy1D: argument 'opts.ns'/);
  await assert.rejects(fusionStudy1D({ quick: true, seeds: [-1] }), /opts.seeds\[0\]/);
  await assert.rejects(fusionStudy1D({ quick: true, seeds: [1, 1] }), /opts.seeds' must not repeat/);
  await assert.rejects(fusionStudy1D({ quick: true, auxiliaries: "x" as never }), /opts.auxiliaries/);
});

test("the 1-D study's cells on the sweep's local executor give exactly the inline table (trained auxiliaries from checkpoints)", async () => {
  await initBackend();
  const opts = { quick: true, ns: [32], seeds: [0, 1], auxiliaries: "trained" as const, auxSize: 256, auxSteps: 30, steps: 30, testSize: 60, sampleSize: 60, sampleSteps: 20 };
  const inline = await fusionStudy1D(opts);
  const local = await fusionStudy1D({ ...opts, executor: "local", concurrency: 2 });
  // Exact: float32 checkpoints round-trip losslessly and every draw of a cell is seeded from (n, seed).
  assert.deepEqual(local.table.objects(), inline.table.objects());
  assert.equal(inline.table.objects().filter((r) => r.model === "fused").length, 2 * 2);
  assert.deepEqual(local.weights, inline.weights);
  assert.equal(local.measured, inline.measured);
  await assert.rejects(fusionStudy1D({ quick: true, executor: "redis" as never }), /fusionStudy1D: argument 'opts.executor' must be "inline" or "local"/);
});

const seeds = [0, 1, 2, 3, 4];
const jitter = (seed: number) => 0.01 * (seed - 2);
const weights = [32, 1024].flatMap((n) => seeds.map((seed) => ({ n, seed, weights: [0.6, 0.4] })));

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
