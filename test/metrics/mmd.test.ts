// Squared MMD with a Gaussian kernel (src/metrics/mmd.ts; Gretton et al. 2012, eq. 3 for the unbiased U-statistic).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { scaledPair } from "./scaled-pair";
import { Rng } from "../../src/tensor/rng";
import { mmd2 } from "../../src/metrics/mmd";

test("MMD separates shifted samples and not matched ones", async () => {
  await initBackend();
  const rng = new Rng(1);
  const x = rng.normal([200, 2]) as tf.Tensor2D, y = rng.normal([200, 2]) as tf.Tensor2D, z = rng.normal([200, 2], 1) as tf.Tensor2D;
  const same = mmd2(x, y), shifted = mmd2(x, z);
  // Unbiased MMD^2 under the null is O(1/n) = 0.005 around 0; a unit mean shift gives ~0.2 at median bandwidth.
  assert.ok(Math.abs(same) < 0.02 && shifted > 0.1, `${same} ${shifted}`);
  assert.throws(() => mmd2(x, tf.zeros([3, 3]) as tf.Tensor2D), /mmd2: argument 'y' must have 2 columns/);
  tf.dispose([x, y, z]);
});

test("closed form with a given bandwidth: two points each, U- and V-statistics", async () => {
  await initBackend();
  // x = {0, 1}, y = {3, 4} in 1-D, l = 1: k(d) = e^{-d^2/2}. U: kxx off-diagonal e^{-1/2} (mean over 2 pairs),
  // kyy the same, kxy mean of e^{-9/2}, e^{-8}, e^{-2}, e^{-9/2}. V adds the diagonal ones: (2 + 2 e^{-1/2}) / 4.
  const k = (d: number) => Math.exp(-d * d / 2);
  const cross = (k(3) + k(4) + k(2) + k(3)) / 4;
  const u = 2 * k(1) - 2 * cross, v = 2 * (2 + 2 * k(1)) / 4 - 2 * cross;
  const x = tf.tensor2d([[0], [1]]), y = tf.tensor2d([[3], [4]]);
  // float32 exponentials of O(1) arguments summed over 8 terms: 1e-6 absolute.
  assert.ok(Math.abs(mmd2(x, y, { bandwidth: 1 }) - u) < 1e-6, `U: ${mmd2(x, y, { bandwidth: 1 })} vs ${u}`);
  assert.ok(Math.abs(mmd2(x, y, { bandwidth: 1, unbiased: false }) - v) < 1e-6, `V: ${mmd2(x, y, { bandwidth: 1, unbiased: false })} vs ${v}`);
  assert.throws(() => mmd2(x, y, { bandwidth: 0 }), /mmd2: argument 'bandwidth' must be > 0, got 0/);
  assert.throws(() => mmd2(tf.tensor2d([[0]]), y), /mmd2: argument 'x' must have at least 2 rows, got 1/);
  tf.dispose([x, y]);
});

test("mmd2 gives finite, scale-consistent results for entries around 1e30 (were NaN)", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const { small, big } = scaledPair();
  // The median-heuristic MMD is scale invariant; with a bandwidth, scaling the bandwidth too gives the same value.
  const m1 = mmd2(small[0], small[1]), mBig = mmd2(big[0], big[1]);
  assert.ok(Number.isFinite(mBig) && Math.abs(mBig - m1) <= 1e-5, `${mBig} vs ${m1}`);
  const b1 = mmd2(small[0], small[1], { bandwidth: 2 }), bBig = mmd2(big[0], big[1], { bandwidth: 2e30 });
  assert.ok(Number.isFinite(bBig) && Math.abs(bBig - b1) <= 1e-5, `${bBig} vs ${b1}`);
  tf.dispose([...small, ...big]);
  assert.equal(tf.memory().numTensors, before);
});
