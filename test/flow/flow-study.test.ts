import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { flowStudy } from "../../src/flow";
import { verdict } from "../../src/studies";

test("quick flow study: checks, verdict and figures from measured numbers, no leaks, the same rows on the sweep executor", async () => {
  await initBackend();
  // A first call warms up whatever is cached on first use; the second must not add tensors.
  await flowStudy({ quick: true, seeds: [0] });
  const before = tf.memory().numTensors;
  const f = await flowStudy({ quick: true, seeds: [0] });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(f.checks.length, 4);
  // One seed gives no interval: nothing is judged to hold, so the verdict is "no" (claim-check's rule).
  assert.ok(f.checks.every((c) => !c.passed) && f.reproduced === "no");
  assert.equal(f.figures.length, 4);
  assert.match(f.measured, /^quick mode: 1 seeds/);
  assert.match(f.measured, /Median distance to the nearest training sample/);
  assert.match(verdict(f).toString(), /REPRODUCED: no/);
  // The held-out distance is the null-level comparison, not the distance to the pulled-toward samples.
  const rows = f.table.objects();
  const final = (model: string, metric: string) => rows.find((r) => r.experiment === "sdflow-kernel" && r.model === model && r.metric === metric)!.value;
  assert.ok(final("sd-flow", "sw-train") < final("fresh-sample", "sw-heldout"), "collapse: closer to its own samples than the null level");
  // The seed as a sweep trial in a child process returns the same rows.
  const s = await flowStudy({ quick: true, seeds: [0], executor: "local", concurrency: 1 });
  const key = (r: Record<string, unknown>) => `${r.experiment}/${r.model}/${r.metric}/${r.iter ?? ""}/${r.tau ?? ""}`;
  const inline = new Map(rows.map((r) => [key(r), r.value]));
  const swept = s.table.objects();
  assert.equal(swept.length, rows.length);
  for (const r of swept) assert.ok(Math.abs(r.value - inline.get(key(r))!) <= 1e-9 * (1 + Math.abs(r.value)), key(r));
  await assert.rejects(flowStudy({ seeds: [1, 1] }), /flowStudy: argument 'opts.seeds' must not repeat a seed/);
  await assert.rejects(flowStudy({ executor: "redis" as never }), /flowStudy: argument 'opts.executor'/);
});
