// torchServes (src/tensor/torch/serves.ts): on torch the library's fused kernels (native/torch/ops_fused.cc) are
// each one addon op, so silu, group norm and FusedAdam take their native path there.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { activateTorch } from "../../../src/tensor/torch";
import { torchServes } from "../../../src/tensor/torch/serves";
import { fusedAdamAvailable } from "../../../src/tensor/fused-adam";
import { initBackend } from "../../../src/tensor/backend";

test("on torch, silu, groupNorm and FusedAdam run as one addon op each", async () => {
  await activateTorch("cpu");
  for (const k of ["ScorelabSilu", "ScorelabSiluGrad", "ScorelabGroupNorm", "ScorelabGroupNormGrad", "ScorelabAdamStep", "ScorelabSumSquares"]) assert.ok(torchServes(k), k);
  assert.ok(fusedAdamAvailable());
});

test("off torch, or for a kernel torch has no op for, torchServes says no", async () => {
  await activateTorch("cpu");
  assert.equal(torchServes("NoSuchKernel"), false);
  await initBackend("wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(torchServes("ScorelabSilu"), false);
});
