import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, initBackend } from "../../src/tensor";

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
