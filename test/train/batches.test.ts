// Mini-batch row indices (src/train/batches.ts): shuffled epochs and draws with replacement, from a seeded Rng.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng } from "../../src/tensor/rng";
import { EpochBatches, rowsWithReplacement } from "../../src/train/batches";

test("batches: shuffled epochs visit every row once per epoch; draws with replacement stay in range", () => {
  const b = new EpochBatches(10, new Rng(0));
  const epoch = [...b.next(4), ...b.next(6)].sort((x, y) => x - y);
  assert.deepEqual(epoch, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const r = rowsWithReplacement(5, 100, new Rng(1));
  assert.ok(r.every((i) => i >= 0 && i < 5));
});

test("a batch straddles two epochs: the second epoch is a fresh permutation, and the same seed gives the same batches", () => {
  const a = new EpochBatches(4, new Rng(3)), b = new EpochBatches(4, new Rng(3));
  const first = Array.from(a.next(6)), second = Array.from(a.next(2));
  // Rows 0..3 of epoch one, then two rows of epoch two; the next two close epoch two.
  assert.deepEqual([...first.slice(0, 4)].sort(), [0, 1, 2, 3]);
  assert.deepEqual([...first.slice(4), ...second].sort(), [0, 1, 2, 3]);
  assert.deepEqual([...Array.from(b.next(6)), ...Array.from(b.next(2))], [...first, ...second]);
  // The epochs come from the Rng's permutations, in order.
  const rng = new Rng(3);
  assert.deepEqual(first.slice(0, 4), Array.from(rng.permutation(4)));
  assert.deepEqual([...first.slice(4), ...second], Array.from(rng.permutation(4)));
  assert.throws(() => new EpochBatches(0, new Rng(0)), /EpochBatches: argument 'n' must be >= 1, got 0/);
});

test("draws with replacement are the Rng's int(n) draws in order, and cover [0, n) uniformly", () => {
  const rng = new Rng(9);
  const want = Array.from({ length: 5 }, () => rng.int(7));
  assert.deepEqual(Array.from(rowsWithReplacement(7, 5, new Rng(9))), want);
  const r = rowsWithReplacement(4, 40000, new Rng(2));
  const counts = [0, 0, 0, 0];
  r.forEach((i) => counts[i]++);
  // Binomial(40000, 1/4): standard deviation sqrt(40000 * 3/16) ~ 87; 6 of them allowed (about 2e-9 per count).
  counts.forEach((c, i) => assert.ok(Math.abs(c - 10000) < 6 * 87, `row ${i} drawn ${c} times`));
});
