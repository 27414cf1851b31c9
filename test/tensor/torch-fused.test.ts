// The library's fused kernels on the torch backend (native/torch/ops_fused.cc) against the tfjs-ops paths they
// replace there: SiLU, group norm (with gradients) and FusedAdam (clip factor, EMA) against tf.train.adam.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { activateTorch } from "../../src/tensor/torch";
import { torchServes } from "../../src/tensor/torch/serves";
import { Rng, FusedAdam, fusedAdamAvailable, silu, groupNormNHWC } from "../../src/tensor";
import { checkFusedAdam } from "./fused-adam-check";
import { close } from "./close";


test("on torch, silu, groupNorm and FusedAdam run as one addon op each", async () => {
  await activateTorch("cpu");
  for (const k of ["ScorelabSilu", "ScorelabSiluGrad", "ScorelabGroupNorm", "ScorelabGroupNormGrad", "ScorelabAdamStep", "ScorelabSumSquares"]) assert.ok(torchServes(k), k);
  assert.ok(fusedAdamAvailable());
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

test("torch groupNorm and its gradients equal the tf.moments path", async () => {
  await activateTorch("cpu");
  const rng = new Rng(12);
  for (const [shape, groups] of [[[3, 4, 5, 8], 4], [[2, 2, 2, 6], 1], [[1, 3, 3, 4], 4]] as [number[], number][]) {
    const x = tf.add(tf.mul(rng.normal(shape), 3), 2) as tf.Tensor4D;
    const gamma = rng.normal([shape[3]]), beta = rng.normal([shape[3]]), dy = rng.normal(shape);
    close(groupNormNHWC(x, gamma, beta, groups), groupNormNHWC(x, gamma, beta, groups, 1e-5, false), `groupNorm ${shape} / ${groups}`, 1e-4);
    const grads = (native: boolean) => tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(groupNormNHWC(a as tf.Tensor4D, g, b, groups, 1e-5, native), dy)))([x, gamma, beta]);
    const [gn, go] = [grads(true), grads(false)];
    ["x", "gamma", "beta"].forEach((name, i) => close(gn[i], go[i], `groupNorm gradient ${name} ${shape}`, 1e-3));
  }
});

test("torch FusedAdam with clipping and EMA follows tf.train.adam", async () => {
  await activateTorch("cpu");
  checkFusedAdam();
});
