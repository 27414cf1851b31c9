import { test } from "node:test";
import assert from "node:assert/strict";
import { ranks, spearman } from "../../src/bounds";

test("Spearman's rho: 1 for the same order, -1 reversed, the textbook value with ties, NaN for a constant side", () => {
  assert.deepEqual(ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2]);
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // Monotone transforms do not change it: ranks only.
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 125].map(Math.log)) - 1) < 1e-12);
  // Without ties rho = 1 - 6 sum d^2 / (n (n^2 - 1)): ranks [1,2,3] vs [1,3,2] give 1 - 6 * 2 / 24 = 0.5.
  assert.ok(Math.abs(spearman([1, 2, 3], [10, 30, 20]) - 0.5) < 1e-12);
  // With ties: x ranks [1, 2.5, 2.5, 4], y ranks [1, 2, 3, 4]; Pearson of those is 0.9486832980505138 (sqrt(0.9)).
  assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 2, 3, 4]) - Math.sqrt(0.9)) < 1e-12);
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
  assert.throws(() => spearman([1, 2], [1]), /spearman: argument 'y'/);
  assert.throws(() => spearman([1, NaN], [1, 2]), /spearman: argument 'x'/);
});
