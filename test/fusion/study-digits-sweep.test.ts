import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../src/tensor";
import { fusionStudyDigits } from "../../src/fusion";

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
