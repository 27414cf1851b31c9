// The EMA of weights (src/train/ema.ts; Polyak & Juditsky 1992) with TensorFlow's warm-up of the decay.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { emaDecayAt, updateEma } from "../../src/train/ema";

test("emaDecayAt warms up as (1 + k) / (10 + k) until it reaches the decay", () => {
  assert.equal(emaDecayAt(0.999, 0), 0.1);
  assert.equal(emaDecayAt(0.999, 10), 11 / 20);
  assert.equal(emaDecayAt(0.5, 0), 0.1);
  // (1 + k) / (10 + k) = 0.5 at k = 8: from there on the decay itself.
  assert.equal(emaDecayAt(0.5, 8), 0.5);
  assert.equal(emaDecayAt(0.5, 1000), 0.5);
  assert.equal(emaDecayAt(0.999, 8990), 0.999);
  assert.ok(emaDecayAt(0.999, 8989) < 0.999);
});

test("updateEma sets ema <- d ema + (1 - d) w in place for every pair and leaves no tensors", async () => {
  await initBackend();
  const e1 = tf.variable(tf.tensor1d([1, 2])), e2 = tf.variable(tf.tensor2d([[4]]));
  const w1 = tf.tensor1d([3, -2]), w2 = tf.tensor2d([[0]]);
  const before = tf.memory().numTensors;
  updateEma([e1, e2], [w1, w2], 0.75);
  assert.equal(tf.memory().numTensors, before);
  // 0.75 * 1 + 0.25 * 3 = 1.5, 0.75 * 2 - 0.5 = 1, 0.75 * 4 = 3: exact in float32 (dyadic numbers).
  assert.deepEqual(Array.from(e1.dataSync()), [1.5, 1]);
  assert.deepEqual(Array.from(e2.dataSync()), [3]);
  updateEma([e1], [w1], 0);
  assert.deepEqual(Array.from(e1.dataSync()), [3, -2], "d = 0 copies the weights");
  tf.dispose([e1, e2, w1, w2]);
});
