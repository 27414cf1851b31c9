import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { RESULT_COLUMNS } from "../../src/table";
import { fusionStudyDigits, uniformBitsPerDim } from "../../src/fusion";

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
