import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { sdFlow } from "../../src/flow";

test("sdFlow refuses iterations past 1e6 with a clear Error", async () => {
  await initBackend();
  const src = tf.tensor2d([[0, 0], [1, 1]]);
  try {
    await assert.rejects(sdFlow(src, (x: tf.Tensor) => tf.neg(x), { iterations: 1e12 }), /sdFlow: argument 'iterations' must be <= 1000000/);
  } finally { src.dispose(); }
});
