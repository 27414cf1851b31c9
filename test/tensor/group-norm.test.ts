// groupNormNHWC (src/tensor/group-norm.ts): the native kernels (OpenBLAS addon on wasm, one addon op on torch) and
// their gradients against the tf.moments path.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { activateTorch } from "../../src/tensor/torch";
import { Rng } from "../../src/tensor/rng";
import { close } from "./close";
import { groupNormNHWC } from "../../src/tensor/group-norm";

/** groupNormNHWC's native path against the tf.moments path, forward and gradients, on the active backend. */
function compareWithMoments(): void {
  const rng = new Rng(12);
  for (const [shape, groups] of [[[3, 4, 5, 8], 4], [[2, 2, 2, 6], 1], [[1, 3, 3, 4], 4]] as [number[], number][]) {
    // A shifted, scaled input checks the variance (native: double sums; ops: float32 two-pass).
    const x = tf.add(tf.mul(rng.normal(shape), 3), 2) as tf.Tensor4D;
    const gamma = rng.normal([shape[3]]), beta = rng.normal([shape[3]]), dy = rng.normal(shape);
    // Normalised values are O(1); float32 statistics over >= 8 elements agree to ~1e-6, 1e-4 leaves margin.
    close(groupNormNHWC(x, gamma, beta, groups), groupNormNHWC(x, gamma, beta, groups, 1e-5, false), `groupNorm ${shape} / ${groups}`, 1e-4);
    const grads = (native: boolean) => tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(groupNormNHWC(a as tf.Tensor4D, g, b, groups, 1e-5, native), dy)))([x, gamma, beta]);
    const [gn, go] = [grads(true), grads(false)];
    ["x", "gamma", "beta"].forEach((name, i) => close(gn[i], go[i], `groupNorm gradient ${name} ${shape}`, 1e-3));
    tf.dispose([x, gamma, beta, dy, ...gn, ...go]);
  }
}

test("groupNorm and its gradients (x, gamma, beta) equal the tf.moments path", async () => {
  await initBackend("wasm");
  compareWithMoments();
  assert.throws(() => groupNormNHWC(tf.zeros([1, 2, 2, 6]) as tf.Tensor4D, tf.ones([6]), tf.zeros([6]), 4), /groupNormNHWC.*'groups'.*divide/);
});

test("torch groupNorm and its gradients equal the tf.moments path", async () => {
  await activateTorch("cpu");
  compareWithMoments();
});
