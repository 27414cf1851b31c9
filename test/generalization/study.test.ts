import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { generalizationStudy } from "../../src/generalization/study";

test("a quick generalization sweep gives a well-formed long table, three figures and a summary", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const steps: number[] = [];
  const r = await generalizationStudy({ quick: true, ns: [8, 24], seeds: [0, 1], steps: 20, samples: 64, samplerSteps: 20, onProgress: (p) => steps.push(p.step) });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(steps, Array.from({ length: 12 }, (_, i) => i + 1));
  const rows = r.table.objects();
  for (const c of ["experiment", "model", "dataset", "seed", "metric", "value", "n"]) assert.ok(r.table.columnNames().includes(c), c);
  // 2 n x 2 seeds x 3 models x 7 metrics, plus 2 n x 3 models of the cross-seed MI.
  assert.equal(rows.length, 2 * 2 * 3 * 7 + 2 * 3);
  for (const row of rows) assert.ok(Number.isFinite(row.value), `${row.model} ${row.metric} ${row.value}`);
  const rate = rows.filter((x) => x.metric === "memorization_rate");
  rate.forEach((x) => assert.ok(x.value >= 0 && x.value <= 1));
  assert.equal(r.figures.memorization.data.length, 3);
  assert.match(r.summary, /Memorization rate by n = 8, 24/);
  await assert.rejects(generalizationStudy({ ns: [] }), /generalizationStudy: argument 'opts.ns'/);
});
