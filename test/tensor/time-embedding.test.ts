// The Fourier time-embedding kernel (src/tensor/time-embedding.ts, native/torch/ops_time_embedding.cc) against the
// tfjs ops of src/score/time-embedding.ts. The forward pass runs the same ATen functions in the same order, so it
// must be equal bit for bit; the gradient is written out by hand (different rounding), so it is compared with a
// float32 tolerance.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng, fourierEmbedKernel } from "../../src/tensor";
import { torchServes } from "../../src/tensor/torch/serves";
import { close } from "./close";

const ops = (c: tf.Tensor, w: tf.Tensor) => {
  const arg = tf.mul(tf.reshape(c, [-1, 1]), tf.mul(w, 2 * Math.PI));
  return tf.concat([tf.sin(arg), tf.cos(arg)], 1);
};

test("fourierEmbedKernel equals the tfjs ops on torch, and is null where no kernel serves", async () => {
  await initBackend();
  const rng = new Rng(1);
  const c = rng.uniform([300], 0, 1), w = tf.mul(rng.normal([1, 16]), 4) as tf.Tensor2D;
  const got = fourierEmbedKernel(c, w);
  if (!torchServes("ScorelabFourierEmbed")) { assert.equal(got, null); return; }
  assert.ok(got);
  assert.deepEqual(got.shape, [300, 32]);
  assert.deepEqual(Array.from(got.dataSync()), Array.from(ops(c, w).dataSync()));
  // Not a [1, k] frequency row, or not float32: the caller's tfjs ops serve.
  assert.equal(fourierEmbedKernel(c, tf.zeros([2, 16]) as tf.Tensor2D), null);
  assert.equal(fourierEmbedKernel(tf.zeros([3], "int32"), w), null);
});

test("the Fourier embedding kernel's gradients in c and w match the tfjs ops'", async () => {
  await initBackend();
  if (!torchServes("ScorelabFourierEmbed")) return;
  const rng = new Rng(2);
  const c = rng.uniform([64], 0, 1), w = tf.mul(rng.normal([1, 8]), 4) as tf.Tensor2D, dy = rng.normal([64, 16]);
  const f = (native: boolean) => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(native ? fourierEmbedKernel(a, b as tf.Tensor2D)! : ops(a, b), dy)))([c, w]);
  const [gn, go] = [f(true), f(false)];
  // Sums of up to 64 terms of size |2 pi w| ~ 25 in float32: agreement to ~1e-4 relative, as in the other fused
  // kernels' tests.
  close(gn[0], go[0], "d/dc", 1e-4);
  close(gn[1], go[1], "d/dw", 1e-4);
  const before = tf.memory().numTensors;
  tf.tidy(() => { tf.grads((a: tf.Tensor) => tf.sum(fourierEmbedKernel(a, w)!))([c]); });
  assert.equal(tf.memory().numTensors, before);
});
