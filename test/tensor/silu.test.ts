// silu (src/tensor/silu.ts): the native kernels (OpenBLAS addon on wasm, one addon op on torch) against x sigmoid(x)
// by tfjs ops.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { activateTorch } from "../../src/tensor/torch";
import { Rng } from "../../src/tensor/rng";
import { close } from "./close";
import { silu } from "../../src/tensor/silu";

test("silu and its gradient equal x sigmoid(x) by tfjs ops, also far out in the tails", async () => {
  await initBackend("wasm");
  // Both are float32 exp-based formulas; 1e-6 relative + 1e-30 absolute covers their rounding (a few ulps) and
  // the tails, where the wasm sigmoid flushes e^-88 to 0 and the native one keeps the tiny true value.
  const x = tf.concat([new Rng(10).normal([1000], 0, 5), tf.tensor1d([-3.4e38, -1e30, -100, -88, -20, 0, 20, 88, 100, 1e30, 3.4e38])]);
  close(silu(x), silu(x, false), "silu", 1e-6);
  // dy ~ N(0, 1). Near the zero of silu' (x = -1.28) both formulas cancel terms of size ~0.3, so the error is
  // absolute, ~eps32 * 0.3 * |dy|: 1e-5 absolute allows |dy| up to ~500 of that.
  const dy = new Rng(11).normal([x.size]);
  const g = (native: boolean) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(silu(t, native), dy)))(x);
  close(g(true), g(false), "silu gradient", 1e-5);
  const nan = silu(tf.tensor1d([NaN, Infinity]));
  assert.deepEqual(Array.from(nan.dataSync()), [NaN, Infinity]);
  tf.dispose([x, nan, dy]);
});

test("torch silu and its gradient equal x sigmoid(x) by tfjs ops", async () => {
  await activateTorch("cpu");
  const x = tf.concat([new Rng(10).normal([1000], 0, 5), tf.tensor1d([-100, -88, -20, 0, 20, 88, 100])]);
  // Tolerances as in blas.test.ts: a few ulps forward; absolute ~eps32 * |dy| near the zero of silu'.
  close(silu(x), silu(x, false), "silu", 1e-6);
  const dy = new Rng(11).normal([x.size]);
  const g = (native: boolean) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(silu(t, native), dy)))(x);
  close(g(true), g(false), "silu gradient", 1e-5);
  assert.deepEqual(Array.from(silu(tf.tensor1d([NaN, Infinity])).dataSync()), [NaN, Infinity]);
});

