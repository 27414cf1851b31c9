// RowRng (src/tensor/row-rng.ts): row i of every draw is stream base.fork(i)'s, so a row depends on the seed and its
// index only, never on the batch size (EDM's StackedRandomGenerator).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { RowRng } from "../../src/tensor/row-rng";
import { Rng } from "../../src/tensor/rng";
import { initBackend } from "../../src/tensor/backend";

test("row i of a draw is exactly the next numbers of base.fork(i), for normal and uniform", async () => {
  await initBackend();
  const base = new Rng(7);
  const rows = new RowRng(base, 3);
  const z = rows.normal([3, 2, 2], 1.5, 0.5);
  const u = rows.uniform([3, 4], -1, 3);
  assert.deepEqual(z.shape, [3, 2, 2]);
  const zv = z.dataSync(), uv = u.dataSync();
  for (let i = 0; i < 3; i++) {
    const r = base.fork(i);
    // The same float32 numbers: mean + std * n is computed in float32 on both sides.
    const n = r.normalArray(4).map((v) => 1.5 + 0.5 * v);
    assert.deepEqual(Array.from(zv.slice(4 * i, 4 * i + 4)), Array.from(n), `normal row ${i}`);
    assert.deepEqual(Array.from(uv.slice(4 * i, 4 * i + 4)), Array.from(r.uniformArray(4, -1, 3)), `uniform row ${i}`);
  }
  tf.dispose([z, u]);
});

test("the first rows of a batch of 5 equal a batch of 2 from the same seed; RowRng.from advances its rng once", async () => {
  await initBackend();
  const small = RowRng.from(new Rng(11), 2).normal([2, 3]);
  const large = RowRng.from(new Rng(11), 5).normal([5, 3]);
  assert.deepEqual(Array.from(large.dataSync().slice(0, 6)), Array.from(small.dataSync()));
  const rng = new Rng(11);
  const first = RowRng.from(rng, 2).normal([2, 3]);
  const second = RowRng.from(rng, 2).normal([2, 3]);
  assert.deepEqual(Array.from(first.dataSync()), Array.from(small.dataSync()));
  assert.notDeepEqual(Array.from(second.dataSync()), Array.from(first.dataSync()), "a second from() gets fresh streams");
  const base = new Rng(11);
  RowRng.from(base, 2);
  const once = new Rng(11);
  once.split();
  assert.equal(base.next(), once.next(), "from() advances its rng exactly as one split()");
  tf.dispose([small, large, first, second]);
});

test("bad arguments name the function and the argument", async () => {
  await initBackend();
  assert.throws(() => new RowRng({} as Rng, 2), /RowRng: argument 'base' must be an Rng/);
  assert.throws(() => new RowRng(new Rng(0), 0), /RowRng: argument 'n' must be >= 1, got 0/);
  assert.throws(() => new RowRng(new Rng(0), 1.5), /RowRng: argument 'n' must be an integer/);
  assert.throws(() => RowRng.from(3 as unknown as Rng, 2), /RowRng\.from: argument 'rng' must be an Rng/);
  const rows = new RowRng(new Rng(0), 2);
  assert.throws(() => rows.normal([3, 2]), /RowRng\.normal: argument 'shape' must be \[2, \.\.\.\] \(one row per stream\), got \[3,2\]/);
  assert.throws(() => rows.uniform([]), /RowRng\.uniform: argument 'shape' must be \[2, \.\.\.\]/);
  assert.throws(() => rows.normal([2, 1e5, 1e5]), /RowRng\.normal: argument 'shape' gives 20000000000 elements/);
  assert.throws(() => rows.normal([2], 0, -1), /RowRng\.normal: argument 'std' must be >= 0, got -1/);
  assert.throws(() => rows.normal([2], NaN), /RowRng\.normal: argument 'mean' must be a finite number/);
  assert.throws(() => rows.uniform([2], 1, 1), /RowRng\.uniform: argument 'hi' must exceed lo, got lo=1, hi=1/);
  // A shape [n] draws one number per row.
  const one = rows.uniform([2]);
  assert.deepEqual(one.shape, [2]);
  one.dispose();
});

test("RowRng: row i depends on the base and i only; shapes must have one row per stream", () => {
  const a = new RowRng(new Rng(9), 3).normal([3, 4]).arraySync() as number[][];
  const b = new RowRng(new Rng(9), 5).normal([5, 4]).arraySync() as number[][];
  assert.deepEqual(a, b.slice(0, 3));
  assert.throws(() => new RowRng(new Rng(9), 3).normal([4, 4]), /RowRng.normal: argument 'shape' must be \[3, \.\.\.\]/);
  // Forks of a large seed (as split() makes) differ by key: the seed's high bits are kept.
  const big = new Rng(2 ** 40 + 5);
  assert.notDeepEqual(Array.from(big.fork(1).normalArray(3)), Array.from(new Rng(2 ** 40 + 6).fork(1).normalArray(3)));
});
