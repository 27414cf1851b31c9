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
