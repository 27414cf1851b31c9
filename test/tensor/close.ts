/** Element-wise closeness of two tensors, tol absolute + tol relative, shared by the fused-kernel tests. */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";

export function close(a: tf.Tensor, b: tf.Tensor, what: string, tol = 1e-4): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const x = a.dataSync(), y = b.dataSync();
  for (let i = 0; i < x.length; i++) {
    if (!(Math.abs(x[i] - y[i]) <= tol + tol * Math.abs(y[i]))) assert.fail(`${what}: element ${i}: ${x[i]} vs ${y[i]}`);
  }
}
