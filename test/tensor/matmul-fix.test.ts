// The wasm transposed-matmul fix (src/tensor/matmul-fix.ts): flagged products equal the same products on explicitly
// transposed operands, the fix can be switched off, and it repairs tfjs's wrong fused transposeA path.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { setWasmTransposeFix, wasmTransposeFixEnabled } from "../../src/tensor/matmul-fix";
import { Rng } from "../../src/tensor/rng";

function products(): { flagged: number[][]; reference: number[][] } {
  const rng = new Rng(3);
  const a = rng.normal([37, 53]); const b = rng.normal([53, 29]);
  const at = tf.transpose(a); const bt = tf.transpose(b);
  const a3 = rng.normal([4, 7, 5]); const b3 = rng.normal([4, 6, 5]); const b3t = tf.transpose(b3, [0, 2, 1]);
  const bias = tf.ones([29]);
  // Each product with transpose flags, next to the same product on explicitly transposed operands.
  const flagged = [
    tf.matMul(at, b, true, false), tf.matMul(a, bt, false, true), tf.matMul(at, bt, true, true), tf.matMul(a3, b3, false, true),
    tf.fused.matMul({ a: at, b, transposeA: true, bias, activation: "relu" }),
  ];
  const ab = tf.matMul(a, b);
  const reference = [ab, ab, ab, tf.matMul(a3, b3t), tf.fused.matMul({ a, b, bias, activation: "relu" })];
  const out = { flagged: flagged.map((o) => Array.from(o.dataSync())), reference: reference.map((o) => Array.from(o.dataSync())) };
  tf.dispose([a, b, at, bt, a3, b3, b3t, bias, ...flagged, ...reference]);
  return out;
}

function assertClose(x: number[], y: number[], what: string): void {
  assert.equal(x.length, y.length);
  // Both sides sum the same 53 (or 5) float32 products; only the summation order may differ.
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-4 * (1 + Math.abs(y[i])), `${what} element ${i}: ${x[i]} vs ${y[i]}`);
}

test("the transposed-matmul fix gives the same numbers as the plain path and leaks nothing", async () => {
  await initBackend("wasm");
  assert.equal(wasmTransposeFixEnabled(), true);
  products(); // warm-up
  const before = tf.memory().numTensors;
  const fixed = products();
  assert.equal(tf.memory().numTensors, before);
  fixed.flagged.forEach((v, k) => assertClose(v, fixed.reference[k], `fixed product ${k}`));
  setWasmTransposeFix(false);
  assert.equal(wasmTransposeFixEnabled(), false);
  const plain = products();
  setWasmTransposeFix(true);
  // The unpatched BatchMatMul kernel agrees too (it is only slow) ...
  for (let k = 0; k < 4; k++) assertClose(plain.flagged[k], fixed.flagged[k], `plain product ${k}`);
  // ... but the unpatched wasm _FusedMatMul with transposeA and a bias returns wrong numbers in tfjs 4.22
  // (found while writing this test); the fix routes it through the plain kernel, which is right.
  const fusedErr = Math.max(...plain.flagged[4].map((v, i) => Math.abs(v - plain.reference[4][i])));
  assert.ok(fusedErr > 0.1, `tfjs's fused transposeA path is expected to be wrong here (max error ${fusedErr}); if it is fixed upstream, drop this check`);
  // Gradients of a dense layer go through the transposed products.
  const x = new Rng(1).normal([16, 8]); const w = tf.variable(new Rng(2).normal([8, 4]));
  const g = tf.grads((ww: tf.Tensor) => tf.matMul(x, ww).square().sum());
  const [gw] = g([w]);
  const expect = tf.matMul(tf.transpose(x), tf.matMul(x, w).mul(2));
  assert.ok(tf.max(tf.abs(gw.sub(expect))).dataSync()[0] < 1e-3);
  tf.dispose([x, w, gw, expect]);
});
