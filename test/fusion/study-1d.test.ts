import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { RESULT_COLUMNS } from "../../src/table";
import { fusionStudy1D } from "../../src/fusion";

test("a quick 1-D study run finishes and yields a well-formed table, checks, figure and measured text", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const messages: string[] = [];
  const r = await fusionStudy1D({ quick: true, ns: [32, 64], seeds: [0], testSize: 100, sampleSize: 100, onProgress: (m) => messages.push(m) });
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
  assert.ok(messages.length >= 3);
});

test("study options are validated", async () => {
  await assert.rejects(fusionStudy1D({ ns: [] }), /fusionStudy1D: argument 'opts.ns'/);
  await assert.rejects(fusionStudy1D({ quick: true, seeds: [-1] }), /opts.seeds\[0\]/);
  await assert.rejects(fusionStudy1D({ quick: true, seeds: [1, 1] }), /opts.seeds' must not repeat/);
  await assert.rejects(fusionStudy1D({ quick: true, auxiliaries: "x" as never }), /opts.auxiliaries/);
});
