// The native addon's surface (src/tensor/torch/addon.ts, native/torch): ATen errors become JS Errors, and a device
// the build lacks is refused with a reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { activateTorch } from "../../../src/tensor/torch";

test("a shape error from ATen is a JS Error naming the op and the shapes; the backend keeps working", async () => {
  await activateTorch("cpu");
  const backend = tf.backend() as unknown as { addon: { run(op: number, h: Int32Array, a: object): number[] }; opId(k: string): number; handleOf(t: tf.Tensor): number };
  const a = tf.ones([2, 3]), b = tf.ones([4, 5]);
  assert.throws(() => backend.addon.run(backend.opId("BatchMatMul"), new Int32Array([backend.handleOf(a), backend.handleOf(b)]), {}),
    /torch backend: BatchMatMul on input shapes \[2,3\], \[4,5\]: /);
  assert.throws(() => backend.addon.run(backend.opId("Reshape"), new Int32Array([backend.handleOf(a)]), {}), /Reshape .*attribute 'shape'/);
  assert.deepEqual(Array.from(tf.matMul(a, tf.ones([3, 1])).dataSync()), [3, 3]);
});

test("CUDA asked for where libtorch has none is a clear Error, and the CPU device still serves", async () => {
  await assert.rejects(activateTorch("cuda"), /CUDA was requested but (this torch addon was built against a CPU-only libtorch|libtorch sees no CUDA device)/);
  await activateTorch("cpu");
  assert.equal(tf.getBackend(), "torch");
  assert.deepEqual(Array.from(tf.add(tf.ones([2]), 1).dataSync()), [2, 2]);
});
