import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, backendInfo, describeBackend } from "../../src/tensor/backend";

// This file tests the wasm rung, the embedded default, whatever backend the rest of the suite runs on; the ladder's
// own order is tested in ladder.test.ts and, with the real rungs, in package.test.ts.
test("the wasm rung loads with SIMD, the transposed-matmul fix and a description that says it was forced", async () => {
  const info = await initBackend("wasm");
  assert.equal(info.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.equal(info.simd, true);
  assert.equal(info.forced, true);
  assert.equal(info.transposeFix, true);
  assert.match(describeBackend(), /backend wasm \(SIMD on, threads off\) on CPU/);
  assert.equal(backendInfo().version, tf.version_core);
});
