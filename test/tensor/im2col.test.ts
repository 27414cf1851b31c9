// im2col3x3 (src/tensor/im2col.ts): the OpenBLAS patches and their gradient (col2im) against the pad/slice/concat path.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { Rng } from "../../src/tensor/rng";
import { close } from "./close";
import { im2col3x3 } from "../../src/tensor/im2col";

test("im2col3x3 and its gradient equal the pad/slice/concat path", async () => {
  await initBackend("wasm");
  const x = new Rng(4).normal([2, 5, 6, 3]) as tf.Tensor4D;
  const up = new Rng(5).normal([60, 27]);
  close(im2col3x3(x, true), im2col3x3(x, false), "im2col forward", 0);
  const g = (native: boolean) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(im2col3x3(t as tf.Tensor4D, native), up)))(x);
  close(g(true), g(false), "col2im (the gradient)", 1e-5);
  assert.throws(() => im2col3x3(tf.zeros([2, 2]) as unknown as tf.Tensor4D), /im2col3x3.*'x'.*rank 4/);
  tf.dispose([x, up]);
});

