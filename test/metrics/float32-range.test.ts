import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { energyDistance, mmd2 } from "../../src/metrics";

test("energyDistance and mmd2 give finite, scale-consistent results for entries around 1e30 (were NaN)", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const small = [tf.tensor2d([[0, 1], [2, -1], [1, 1]]), tf.tensor2d([[1, 0], [3, 2]])] as const;
  const big = small.map((t) => tf.mul(t, 1e30) as tf.Tensor2D);
  // Energy distance is homogeneous of degree 1: ED(c x, c y) = c ED(x, y). Relative tolerance 1e-5: float32
  // sums of a few terms (eps 6e-8) and the rescaling is by a power of two.
  const e1 = energyDistance(small[0], small[1]), eBig = energyDistance(big[0], big[1]);
  assert.ok(Number.isFinite(eBig) && e1 > 0, `${eBig}`);
  assert.ok(Math.abs(eBig / 1e30 - e1) <= 1e-5 * e1, `${eBig / 1e30} vs ${e1}`);
  // The median-heuristic MMD is scale invariant; with a bandwidth, scaling the bandwidth too gives the same value.
  const m1 = mmd2(small[0], small[1]), mBig = mmd2(big[0], big[1]);
  assert.ok(Number.isFinite(mBig) && Math.abs(mBig - m1) <= 1e-5, `${mBig} vs ${m1}`);
  const b1 = mmd2(small[0], small[1], { bandwidth: 2 }), bBig = mmd2(big[0], big[1], { bandwidth: 2e30 });
  assert.ok(Number.isFinite(bBig) && Math.abs(bBig - b1) <= 1e-5, `${bBig} vs ${b1}`);
  tf.dispose([...small, ...big]);
  assert.equal(tf.memory().numTensors, before);
});
