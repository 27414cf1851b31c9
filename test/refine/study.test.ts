import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { refineStudy } from "../../src/refine";

test("refineStudy (tiny) returns long-format rows for every experiment, figures and a summary from the numbers", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const seen: number[] = [];
  const r = await refineStudy({ quick: true, seeds: [0], ws: [0, 1], steps: 60, widths: [4], onProgress: (p) => seen.push(p.step) });
  assert.equal(tf.memory().numTensors, before);
  const rows = r.table.objects();
  for (const c of ["experiment", "model", "dataset", "seed", "metric", "value", "w"]) assert.ok(r.table.columnNames().includes(c), c);
  assert.deepEqual([...new Set(rows.map((x) => x.experiment))].sort(), ["capacity", "density-ratio", "guidance"]);
  assert.equal(rows.filter((x) => x.experiment === "guidance" && x.metric === "mode_weight_error").length, 2);
  assert.ok(rows.every((x) => Number.isFinite(x.value)));
  assert.equal(seen[seen.length - 1], 2 + 2 + 1);
  assert.match(r.summary, /w=0: [0-9.]+, w=1: [0-9.]+/);
  assert.equal(r.figures.guidance.data.length, 2);
  const ac = new AbortController(); ac.abort();
  await assert.rejects(refineStudy({ quick: true, seeds: [0], signal: ac.signal }), (e: Error) => e.name === "AbortError" && /refineStudy: aborted before run 1 of/.test(e.message));
  await assert.rejects(refineStudy({ ws: [] }), /refineStudy: argument 'opts.ws'/);
});
