/**
 * The FusedAdam check shared by the wasm (OpenBLAS) and torch tests: five steps of FusedAdam with clipping and EMA
 * against tf.train.adam on the same gradients and the EMA formula, on whichever backend is active.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { FusedAdam, Rng } from "../../src/tensor";
import { close } from "./close";


export function checkFusedAdam(): void {
  const before = tf.memory().numTensors;
  const rng = new Rng(6);
  const init = [rng.normal([7, 5]), rng.normal([5])];
  const a = init.map((t) => tf.variable(t)), b = init.map((t) => tf.variable(t)), ema = init.map((t) => tf.variable(t));
  const emaRef = init.map((t) => t.clone());
  const fused = new FusedAdam(a, { lr: 0.01 });
  const ref = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
  for (let step = 0; step < 5; step++) {
    const g = [rng.normal([7, 5]), rng.normal([5])];
    const norm = fused.globalNorm(g);
    const exact = Math.sqrt(g.reduce((s, t) => s + tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0]), 0));
    assert.ok(Math.abs(norm - exact) < 1e-4 * exact, `norm ${norm} vs ${exact}`);
    const factor = Math.min(1, 2 / (norm + 1e-6));
    fused.apply(g, factor, { vars: ema, decay: 0.5 });
    tf.tidy(() => ref.applyGradients(b.map((v, i) => ({ name: v.name, tensor: tf.mul(g[i], factor) }))));
    emaRef.forEach((e, i) => { const nxt = tf.tidy(() => tf.add(tf.mul(e, 0.5), tf.mul(b[i], 0.5))); e.dispose(); emaRef[i] = nxt; });
    tf.dispose(g);
  }
  // Five steps of size ~lr = 0.01 in float32 on both sides; 1e-5 is ~100 ulps of the weights.
  a.forEach((v, i) => close(v, b[i], `Adam weights ${i}`, 1e-5));
  ema.forEach((v, i) => close(v, emaRef[i], `EMA ${i}`, 1e-5));
  const wrong = tf.zeros([2]);
  assert.throws(() => fused.apply([wrong], 1), /FusedAdam.apply.*'grads'/);
  wrong.dispose();
  fused.dispose(); ref.dispose();
  tf.dispose([...init, ...a, ...b, ...ema, ...emaRef]);
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
}
