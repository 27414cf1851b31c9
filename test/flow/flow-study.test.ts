import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { flowStudy } from "../../src/flow";

test("quick studies return rows, figures and a summary from measured numbers, without leaks", async () => {
  await initBackend();
  // A first call warms up whatever is cached on first use; the second must not add tensors.
  (await flowStudy({ quick: true, seed: 1 }));
  const before = tf.memory().numTensors;
  const f = await flowStudy({ quick: true });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(f.table.numRows() > 10 && f.figures.length === 3);
  assert.match(f.summary, /Memorization: median distance/);
});
