/**
 * The U-Net's time bias on torch rides in the first convolution of each block as a per-sample [n, 1, 1, c] bias
 * (src/score/unet.ts, timeBiasedConv); elsewhere it is an add after the im2col convolution. The two routes must give
 * the same network: the output and every weight's gradient, torch against wasm, within float32 tolerance.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { activateTorch } from "../../src/tensor/torch";
import { vpSDE } from "../../src/sde";
import { unetScoreNet } from "../../src/score/score-net";

// Relative to each tensor's largest value. Both routes are float32 networks of ~25 layers forward and back whose
// convolutions sum up to 9 x 48 products in different orders (oneDNN on torch, im2col products on wasm), each layer
// rounding at ~1e-7 to 1e-6 of its scale; measured worst 1.2e-6. 1e-5 leaves ~10x, and a bias lost or counted
// twice moves the result by O(1).
const TOL = 1e-5;

/** eps_hat and the gradients of <eps_hat, dy> in every weight, as flat arrays, on the active backend. */
function outputAndGrads(): { names: string[]; values: Float32Array[] } {
  const model = unetScoreNet(vpSDE(), [8, 8], new Rng(0), { channels: 8, groups: 2 });
  const rng = new Rng(1);
  // Random weights everywhere (the output layer and the biases start at zero), so every path carries signal.
  model.variables.forEach((v) => tf.tidy(() => v.assign(rng.normal(v.shape, 0, 0.3))));
  const [x, dy] = [rng.normal([4, 8, 8]), rng.normal([4, 8, 8])];
  const t = tf.tensor1d([0.01, 0.2, 0.6, 1]);
  const out = tf.tidy(() => model.epsilon(x, t, "raw"));
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.epsilon(x, t, "raw"), dy)) as tf.Scalar, model.variables);
  const names = ["output", ...model.names];
  const values = [out, ...model.variables.map((v) => grads[v.name])].map((g) => g.dataSync() as Float32Array);
  tf.dispose([x, dy, t, out, value, ...Object.values(grads)]);
  model.dispose();
  return { names, values };
}

test("the U-Net on torch (time bias inside the convolution) equals the wasm route in output and every weight gradient", async () => {
  await initBackend("wasm");
  const want = outputAndGrads();
  await activateTorch("cpu");
  const got = outputAndGrads();
  assert.deepEqual(got.names, want.names);
  let worst = 0;
  got.values.forEach((g, k) => {
    const w = want.values[k];
    let diff = 0, scale = 0;
    for (let i = 0; i < w.length; i++) { diff = Math.max(diff, Math.abs(g[i] - w[i])); scale = Math.max(scale, Math.abs(w[i])); }
    worst = Math.max(worst, diff / scale);
    assert.ok(scale > 0 && diff <= TOL * scale, `${got.names[k]}: max |torch - wasm| ${diff} > ${TOL} x largest ${scale}`);
  });
  console.log(`# worst relative difference ${worst}`);
});
