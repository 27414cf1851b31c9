// FusedAdam (src/tensor/fused-adam.ts) with clipping and EMA against tf.train.adam, on wasm (OpenBLAS) and torch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../../src/tensor/backend";
import { activateTorch } from "../../src/tensor/torch";
import { fusedAdamAvailable } from "../../src/tensor/fused-adam";
import { checkFusedAdam } from "./fused-adam-check";

test("FusedAdam with clipping and EMA follows tf.train.adam and the EMA formula", async () => {
  await initBackend("wasm");
  assert.ok(fusedAdamAvailable());
  checkFusedAdam();
});

test("torch FusedAdam with clipping and EMA follows tf.train.adam", async () => {
  await activateTorch("cpu");
  checkFusedAdam();
});
