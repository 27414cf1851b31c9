// 1-D Wasserstein distances by quantile functions and the sliced Wasserstein distance (src/metrics/wasserstein.ts;
// Rabin et al. 2011, Bonneel et al. 2015).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { Rng } from "../../src/tensor/rng";
import { w1, wassersteinP1D, slicedWasserstein } from "../../src/metrics/wasserstein";

test("closed-form cases of the 1-D and sliced distances", async () => {
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
  tf.dispose([a, b]);
});

test("the 1-D distance ignores order, is exact for a translation at any p, and merges unequal quantile steps", () => {
  // A translation by c moves every quantile by c: W_p = c for every p (float64, 1e-12).
  for (const p of [1, 2, 3.5]) assert.ok(Math.abs(wassersteinP1D([3, -1, 2], [1, 4, 5], p) - 2) < 1e-12, `p = ${p}`);
  // {0, 1, 2} against {0, 3}: quantile steps at 1/3, 1/2, 2/3 give |0-0|/3 + |1-0|/6 + |1-3|/6 + |2-3|/3 = 5/6.
  assert.ok(Math.abs(w1([2, 0, 1], [3, 0]) - 5 / 6) < 1e-12);
  assert.equal(w1([5], [5]), 0);
});

test("sliced W in d = 1 is the 1-D distance (every direction is +-1), and the same seed gives the same estimate", async () => {
  await initBackend();
  const a = tf.tensor2d([[0], [1], [5]]), b = tf.tensor2d([[2], [2], [9]]);
  // Projections onto +-1 preserve the 1-D W2; float32 projections of small integers are exact.
  const sw = slicedWasserstein(a, b, { rng: new Rng(4), projections: 5 });
  assert.ok(Math.abs(sw - wassersteinP1D([0, 1, 5], [2, 2, 9], 2)) < 1e-6, `${sw}`);
  const x = new Rng(1).normal([20, 3]) as tf.Tensor2D, y = new Rng(2).normal([30, 3], 0.5) as tf.Tensor2D;
  assert.equal(slicedWasserstein(x, y, { rng: new Rng(7), projections: 16 }), slicedWasserstein(x, y, { rng: new Rng(7), projections: 16 }));
  assert.ok(Math.abs(slicedWasserstein(x, x, { rng: new Rng(7), projections: 16 })) < 1e-12, "a sample is at distance 0 from itself");
  tf.dispose([a, b, x, y]);
});

test("bad input names the function and the argument", async () => {
  await initBackend();
  const rng = new Rng(1);
  const x = rng.normal([200, 2]) as tf.Tensor2D, y = rng.normal([200, 2]) as tf.Tensor2D;
  assert.throws(() => slicedWasserstein(x, y, {} as never), /argument 'opts.rng'/);
  assert.throws(() => slicedWasserstein(x, y, { rng, projections: 0 }), /slicedWasserstein: argument 'projections' must be >= 1/);
  assert.throws(() => wassersteinP1D([], [1]), /wassersteinP1D: argument 'x' must be a non-empty array of numbers/);
  assert.throws(() => wassersteinP1D([1], [0, NaN]), /wassersteinP1D: argument 'y' must hold finite numbers \(entry 1 is NaN\)/);
  assert.throws(() => wassersteinP1D([1], [2], 0.5), /wassersteinP1D: argument 'p' must be >= 1, got 0.5/);
  tf.dispose([x, y]);
});
