// Gradient clipping by global norm (src/train/clip.ts; Pascanu et al. 2013).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { clipByGlobalNorm } from "../../src/train/clip";

test("the norm is taken over all tensors together and the gradients are scaled by min(1, maxNorm / norm)", async () => {
  await initBackend();
  // ||(3, 4, 12)|| = 13 across two tensors.
  const g = [tf.tensor1d([3, 4]), tf.tensor2d([[12]])];
  const big = clipByGlobalNorm(g, 6.5);
  assert.equal(big.norm.dataSync()[0], 13);
  // factor 6.5 / (13 + 1e-6): float32 gives 0.5 to ~1e-7 relative.
  const v = [...big.grads[0].dataSync(), ...big.grads[1].dataSync()];
  [1.5, 2, 6].forEach((want, i) => assert.ok(Math.abs(v[i] - want) < 1e-6 * want, `${v[i]} vs ${want}`));
  assert.deepEqual(big.grads[1].shape, [1, 1]);
  const small = clipByGlobalNorm(g, 100);
  assert.deepEqual([...small.grads[0].dataSync(), ...small.grads[1].dataSync()], [3, 4, 12], "under the limit nothing changes");
  const none = clipByGlobalNorm(g, Infinity);
  assert.deepEqual(Array.from(none.grads[0].dataSync()), [3, 4]);
  assert.notEqual(none.grads[0], g[0], "Infinity returns copies the caller owns");
  assert.equal(none.norm.dataSync()[0], 13);
  const zero = clipByGlobalNorm([tf.zeros([3])], 1);
  assert.deepEqual(Array.from(zero.grads[0].dataSync()), [0, 0, 0], "an all-zero gradient stays finite");
  tf.dispose([...g, ...big.grads, big.norm, ...small.grads, small.norm, ...none.grads, none.norm, ...zero.grads, zero.norm]);
});

test("bad input names the function and the argument", async () => {
  await initBackend();
  assert.throws(() => clipByGlobalNorm([], 1), /clipByGlobalNorm: argument 'grads' must be a non-empty array of tensors/);
  assert.throws(() => clipByGlobalNorm([[1, 2]] as never, 1), /clipByGlobalNorm: argument 'grads' must be a non-empty array of tensors/);
  const g = tf.ones([2]);
  assert.throws(() => clipByGlobalNorm([g], 0), /clipByGlobalNorm: argument 'maxNorm' must be > 0, got 0/);
  assert.throws(() => clipByGlobalNorm([g], NaN), /clipByGlobalNorm: argument 'maxNorm' must be a finite number/);
  g.dispose();
});
