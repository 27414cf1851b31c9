import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { RESULT_COLUMNS } from "../../src/table";
import { fusionStudyDigits } from "../../src/fusion";

test("a quick digits study run finishes and yields a well-formed bits/dim table", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const r = await fusionStudyDigits({ quick: true, ns: [25], seeds: [0] });
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  for (const c of [...RESULT_COLUMNS, "n"]) assert.ok(r.table.columnNames().includes(c), `column ${c}`);
  const rows = r.table.objects();
  assert.equal(rows.length, 4); // auxiliary A, B, fused, target-only
  rows.forEach((x) => {
    assert.equal(x.metric, "bpd");
    assert.ok(Number.isFinite(x.value) && x.value > 0, `${x.model} bpd = ${x.value}`);
  });
  assert.equal(r.weights.length, 1);
  assert.ok(Math.abs(r.weights[0].weights.reduce((a, v) => a + v, 0) - 1) < 1e-9);
  assert.match(r.summary, /bits\/dim/);
});

test("digits study rejects a target size larger than the images available", async () => {
  await assert.rejects(fusionStudyDigits({ quick: true, ns: [100000] }), /fusionStudyDigits: argument 'opts.ns\[0\]' must be <=/);
});
