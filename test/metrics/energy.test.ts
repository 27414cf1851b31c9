// The energy distance (src/metrics/energy.ts; Székely & Rizzo 2013): 2 E|X - Y| - E|X - X'| - E|Y - Y'|.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { scaledPair } from "./scaled-pair";
import { energyDistance } from "../../src/metrics/energy";

test("closed-form cases: two points at distance 1 give 2, a sample against itself 0", async () => {
  await initBackend();
  assert.ok(Math.abs(energyDistance(tf.tensor2d([[0]]), tf.tensor2d([[1]])) - 2) < 1e-6);
  // {0, 2} against {1}: 2 * mean(1, 1) - mean(0, 2, 2, 0) - 0 = 2 - 1 = 1 (small integers: float32 exact).
  assert.equal(energyDistance(tf.tensor2d([[0], [2]]), tf.tensor2d([[1]])), 1);
  const x = tf.tensor2d([[0, 1], [2, -1], [1, 1]]);
  assert.ok(Math.abs(energyDistance(x, x)) < 1e-6);
  x.dispose();
});

test("energyDistance gives finite, scale-consistent results for entries around 1e30 (were NaN)", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const { small, big } = scaledPair();
  // Energy distance is homogeneous of degree 1: ED(c x, c y) = c ED(x, y). Relative tolerance 1e-5: float32
  // sums of a few terms (eps 6e-8) and the rescaling is by a power of two.
  const e1 = energyDistance(small[0], small[1]), eBig = energyDistance(big[0], big[1]);
  assert.ok(Number.isFinite(eBig) && e1 > 0, `${eBig}`);
  assert.ok(Math.abs(eBig / 1e30 - e1) <= 1e-5 * e1, `${eBig / 1e30} vs ${e1}`);
  tf.dispose([...small, ...big]);
  assert.equal(tf.memory().numTensors, before);
});

test("bad input names the function and the argument", async () => {
  await initBackend();
  const x = tf.tensor2d([[0, 1]]);
  assert.throws(() => energyDistance(x, tf.tensor2d([[1, 2, 3]])), /energyDistance: argument 'y' must have 2 columns like x, got 3/);
  assert.throws(() => energyDistance(tf.tensor1d([1]) as never, x), /energyDistance: argument 'x' must have rank 2/);
  assert.throws(() => energyDistance(x, tf.tensor2d([[NaN, 0]])), /energyDistance: argument 'y' contains NaN or Infinity/);
  x.dispose();
});
