import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { mmd2, energyDistance, w1, wassersteinP1D, slicedWasserstein, nearestNeighbourDistances, pairwiseSqDist } from "../../src/metrics";

test("closed-form cases of the two-sample metrics", async () => {
  await initBackend();
  assert.ok(Math.abs(w1([0, 1], [1, 2]) - 1) < 1e-12);
  // Unequal sizes: {0} vs {0, 2} moves half the mass by 2.
  assert.ok(Math.abs(w1([0], [0, 2]) - 1) < 1e-12);
  // Half the mass moves by 2: W2^2 = 0.5 * 4.
  assert.ok(Math.abs(wassersteinP1D([0, 0], [0, 2], 2) - Math.SQRT2) < 1e-12);
  const a = tf.tensor2d([[0, 0], [1, 0]]), b = tf.tensor2d([[0, 3], [1, 3]]);
  // A pure translation by 3 along y: sliced W2 over directions u is 3 sqrt(mean u_y^2) = 3 / sqrt(2) in expectation;
  // with 4000 random directions the estimate is within a few percent.
  const sw = slicedWasserstein(a, b, { rng: new Rng(0), projections: 4000 });
  assert.ok(Math.abs(sw - 3 / Math.SQRT2) < 0.1, `${sw}`);
  assert.ok(Math.abs(energyDistance(tf.tensor2d([[0]]), tf.tensor2d([[1]])) - 2) < 1e-6);
  assert.deepEqual(Array.from(pairwiseSqDist(tf.tensor2d([[0, 0]]), tf.tensor2d([[3, 4]])).dataSync()), [25]);
  const nn = nearestNeighbourDistances(tf.tensor2d([[0, 0], [5, 5]]), tf.tensor2d([[0, 1], [5, 7], [9, 9]]), { batch: 1 });
  assert.deepEqual(Array.from(nn), [1, 2]);
  const self = nearestNeighbourDistances(a, a, { excludeSelf: true });
  assert.deepEqual(Array.from(self), [1, 1]);
  tf.dispose([a, b]);
});

test("MMD separates shifted samples and not matched ones", () => {
  const rng = new Rng(1);
  const x = rng.normal([200, 2]) as tf.Tensor2D, y = rng.normal([200, 2]) as tf.Tensor2D, z = rng.normal([200, 2], 1) as tf.Tensor2D;
  const same = mmd2(x, y), shifted = mmd2(x, z);
  // Unbiased MMD^2 under the null is O(1/n) = 0.005 around 0; a unit mean shift gives ~0.2 at median bandwidth.
  assert.ok(Math.abs(same) < 0.02 && shifted > 0.1, `${same} ${shifted}`);
  assert.throws(() => mmd2(x, tf.zeros([3, 3]) as tf.Tensor2D), /mmd2: argument 'y' must have 2 columns/);
  assert.throws(() => slicedWasserstein(x, y, {} as never), /argument 'opts.rng'/);
  tf.dispose([x, y, z]);
});
