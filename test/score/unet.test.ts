import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { vpSDE } from "../../src/sde";
import { conv3x3 } from "../../src/score/unet";
import { unetScoreNet } from "../../src/score/score-net";
import { trainScore } from "../../src/score/train";
import { activateTorch } from "../../src/tensor/torch";

test("3x3 im2col convolution equals tf.conv2d", async () => {
  await initBackend();
  const rng = new Rng(0);
  const x = rng.normal([2, 6, 4, 3]) as tf.Tensor4D; const w = rng.normal([3, 3, 3, 5]) as tf.Tensor4D; const b = rng.normal([5]);
  const ours = conv3x3(x, tf.reshape(w, [27, 5]), b);
  const ref = tf.add(tf.conv2d(x, w, 1, "same"), b);
  const [p, q] = [ours.dataSync(), ref.dataSync()];
  // float32 sums of 27 products of N(0,1) values: 1e-4 absolute is far above rounding (~1e-6).
  for (let i = 0; i < p.length; i++) assert.ok(Math.abs(p[i] - q[i]) < 1e-4);
  tf.dispose([x, w, b, ours, ref]);
});

test("the U-Net maps 8x8 and 28x28 images to their shape, trains on the wasm backend, and leaks nothing", async () => {
  await initBackend();
  for (const shape of [[8, 8], [28, 28, 1]]) { // forward only: shapes and finiteness
    const model = unetScoreNet(vpSDE(), shape, new Rng(0), { channels: 8 });
    const x = new Rng(1).normal([3, ...shape]); const t = tf.tensor1d([0.1, 0.5, 0.9]);
    const s = model.score(x, t);
    assert.deepEqual(s.shape, [3, ...shape]);
    assert.ok(Array.from(s.dataSync()).every(Number.isFinite));
    tf.dispose([x, t, s]); model.dispose();
  }
  const model = unetScoreNet(vpSDE(), [8, 8], new Rng(0), { channels: 8 });
  const data = new Rng(2).normal([32, 8, 8]).mul(0.3);
  await trainScore(model, data, { steps: 1, rng: new Rng(3), batchSize: 8 }); // creates the EMA copies
  const before = tf.memory().numTensors;
  const { history } = await trainScore(model, data, { steps: 15, rng: new Rng(3), batchSize: 8, lr: 1e-2 });
  assert.ok(history.every(Number.isFinite));
  assert.equal(tf.memory().numTensors, before);
  // Data N(0, 0.09 I): eps is partly predictable from x_t, so the loss falls from 1 (zero output) once the output
  // layer moves; 15 steps at lr 1e-2 bring the mean of the last 5 below 0.95 (measured about 0.6-0.8).
  assert.ok(history.slice(-5).reduce((a, v) => a + v, 0) / 5 < 0.95, `${history}`);
  tf.dispose(data); model.dispose();
});

// Moved from test/guidance/class-score.test.ts.
test("a class-conditional U-Net takes labels through its noise embedding", async () => {
  await initBackend();
  const rng = new Rng(5);
  const model = unetScoreNet(vpSDE(), [4, 4], rng, { channels: 4, groups: 2, classes: 3 });
  const data = rng.normal([16, 4, 4]);
  await trainScore(model, data, { steps: 3, rng, batchSize: 8, ema: 0, labels: Array.from({ length: 16 }, (_, i) => i % 3) });
  const x = rng.normal([2, 4, 4]), t = tf.fill([2], 0.5);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.scoreWith(x, t, "raw", 0), model.scoreWith(x, t, "raw", 2)))).dataSync()[0]);
  // After three steps the output layer is nonzero, so distinct label vectors give distinct scores.
  assert.ok(diff > 1e-6, `labels 0 and 2 give the same score (max difference ${diff})`);
  assert.throws(() => model.scoreWith(x, t, "raw", [0, 3.5]), /ScoreNet\.epsilon: argument 'labels\[1\]' must be an integer class in \[0, 3\)/);
  tf.dispose([data, x, t]);
  model.dispose();
});

// The U-Net's time bias on torch rides in the first convolution of each block as a per-sample [n, 1, 1, c] bias
// (src/score/unet.ts, timeBiasedConv); elsewhere it is an add after the im2col convolution. The two routes must give
// the same network: the output and every weight's gradient, torch against wasm, within float32 tolerance.
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
