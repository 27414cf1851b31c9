import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/tensor/rng";
import { initBackend } from "../../src/tensor/backend";

test("the same seed gives identical tensors, different seeds differ", async () => {
  await initBackend();
  const a = new Rng(42).normal([64, 3]);
  const b = new Rng(42).normal([64, 3]);
  const c = new Rng(43).normal([64, 3]);
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()));
  assert.notDeepEqual(Array.from(a.dataSync()), Array.from(c.dataSync()));
  tf.dispose([a, b, c]);
});

test("normal draws have mean 0 and variance 1 within sampling error", () => {
  const n = 200000;
  const x = new Rng(7).normalArray(n);
  let m = 0; for (const v of x) m += v; m /= n;
  let v2 = 0; for (const v of x) v2 += (v - m) ** 2; v2 /= n;
  // Standard errors: mean 1/sqrt(n) = 0.0022, variance sqrt(2/n) = 0.0032; allow 5 of them.
  assert.ok(Math.abs(m) < 5 / Math.sqrt(n), `mean ${m}`);
  assert.ok(Math.abs(v2 - 1) < 5 * Math.sqrt(2 / n), `variance ${v2}`);
});

test("uniform draws lie in [lo, hi) with the right mean", () => {
  const x = new Rng(1).uniformArray(100000, -2, 3);
  let m = 0; for (const v of x) { assert.ok(v >= -2 && v < 3); m += v; }
  m /= x.length;
  assert.ok(Math.abs(m - 0.5) < 5 * (5 / Math.sqrt(12)) / Math.sqrt(x.length));
});

test("fork is deterministic, independent of how much the parent drew, and differs by key", () => {
  const p1 = new Rng(5); const p2 = new Rng(5);
  p2.normalArray(100);
  assert.deepEqual(Array.from(p1.fork(3).normalArray(5)), Array.from(p2.fork(3).normalArray(5)));
  assert.notDeepEqual(Array.from(p1.fork(3).normalArray(5)), Array.from(p1.fork(4).normalArray(5)));
});

test("permutation is a permutation", () => {
  const p = Array.from(new Rng(9).permutation(50)).sort((a, b) => a - b);
  assert.deepEqual(p, Array.from({ length: 50 }, (_, i) => i));
});

test("bad arguments name the problem", () => {
  assert.throws(() => new Rng(NaN), /seed must be a finite number/);
  assert.throws(() => new Rng(0).normal([2, -1]), /shape must be an array of non-negative integers/);
  assert.throws(() => new Rng(0).uniform([2], 1, 1), /need lo < hi/);
  assert.throws(() => new Rng(0).int(0), /n must be a positive integer/);
});

test("Rng.normal/uniform refuse shapes past 2^28 elements, naming the function and the size", async () => {
  await initBackend();
  const rng = new Rng(0);
  assert.throws(() => rng.normal([1e6, 1e6]), /Rng\.normal: argument 'shape' gives 1000000000000 elements \(\[1000000,1000000\]\)/);
  assert.throws(() => rng.uniform([2 ** 28 + 1]), /Rng\.uniform: argument 'shape' gives 268435457 elements/);
  const x = rng.normal([10_000, 784]); // an MNIST-sized draw still works
  assert.deepEqual(x.shape, [10_000, 784]);
  x.dispose();
});

test("Rng.normal/uniform refuse NaN, Infinity and non-numbers for mean/std/lo/hi, naming the argument; std >= 0", async () => {
  await initBackend();
  const rng = new Rng(0);
  for (const bad of [NaN, Infinity, -Infinity, "3", null, {}]) {
    assert.throws(() => rng.normal([2], bad as number), /Rng\.normal: argument 'mean' must be a finite number/);
    assert.throws(() => rng.normal([2], 0, bad as number), /Rng\.normal: argument 'std' must be a finite number/);
    assert.throws(() => rng.uniform([2], bad as number, 1), /Rng\.uniform: argument 'lo' must be a finite number/);
    assert.throws(() => rng.uniform([2], 0, bad as number), /Rng\.uniform: argument 'hi' must be a finite number/);
  }
  assert.throws(() => rng.normal([2], 0, -1), /Rng\.normal: argument 'std' must be >= 0, got -1/);
  // std = 0 is allowed and gives the mean exactly.
  const c = rng.normal([3], 2.5, 0);
  assert.deepEqual(Array.from(c.dataSync()), [2.5, 2.5, 2.5]);
  c.dispose();
});
