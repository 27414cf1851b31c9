// Distance to the k-th nearest reference row (src/metrics/nearest.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { nearestNeighbourDistances } from "../../src/metrics/nearest";

test("closed-form cases: nearest, k-th nearest and self-excluded distances", async () => {
  await initBackend();
  const a = tf.tensor2d([[0, 0], [1, 0]]);
  const nn = nearestNeighbourDistances(tf.tensor2d([[0, 0], [5, 5]]), tf.tensor2d([[0, 1], [5, 7], [9, 9]]), { batch: 1 });
  assert.deepEqual(Array.from(nn), [1, 2]);
  const self = nearestNeighbourDistances(a, a, { excludeSelf: true });
  assert.deepEqual(Array.from(self), [1, 1]);
  // The second nearest of (0, 0) among (0, 1), (5, 7), (9, 9) is (5, 7): sqrt(74), float32.
  const second = nearestNeighbourDistances(tf.tensor2d([[0, 0]]), tf.tensor2d([[0, 1], [5, 7], [9, 9]]), { k: 2 });
  assert.ok(Math.abs(second[0] - Math.sqrt(74)) < 1e-6 * Math.sqrt(74));
  tf.dispose([a]);
});

test("k beyond the reference rows is one Error naming k", async () => {
  await initBackend();
  const a = tf.tensor2d([[0, 0], [1, 0]]);
  assert.throws(() => nearestNeighbourDistances(a, a, { k: 2, excludeSelf: true }), /nearestNeighbourDistances: argument 'k' must be at most 1 \(reference rows\), got 2/);
  assert.throws(() => nearestNeighbourDistances(a, a, { batch: 0 }), /nearestNeighbourDistances: argument 'batch' must be >= 1/);
  a.dispose();
});
