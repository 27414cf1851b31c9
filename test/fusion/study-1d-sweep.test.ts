import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../src/tensor";
import { fusionStudy1D } from "../../src/fusion";

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
