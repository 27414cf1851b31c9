// The score MLP (src/score/mlp.ts): its config's defaults and checks, its parameter layout, and the zero output
// layer that makes a fresh network predict exactly 0.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { MLP, mlpConfig, shapeSize } from "../../src/score/mlp";

test("shapeSize multiplies a sample shape and names a bad one", () => {
  assert.equal(shapeSize([2], "f"), 2);
  assert.equal(shapeSize([1, 28, 28], "f"), 784);
  for (const bad of [[], [0], [2, 1.5], "2"]) assert.throws(() => shapeSize(bad, "f"), /^Error: f: argument 'shape' must be a non-empty array of positive integers/, JSON.stringify(bad));
});

test("mlpConfig: width 256, depth 3, SiLU and a 32-d Fourier embedding unless told; bad options name themselves", () => {
  const c = mlpConfig([3], new Rng(0));
  assert.deepEqual([c.kind, c.shape, c.width, c.depth, c.activation, c.embedding.dim, c.classes], ["mlp", [3], 256, 3, "silu", 32, undefined]);
  assert.equal(mlpConfig([3], new Rng(0), { classes: 4 }).classes, 4);
  assert.throws(() => mlpConfig([3], new Rng(0), { width: 0 }), /^Error: mlpConfig: argument 'opts.width'/);
  assert.throws(() => mlpConfig([3], new Rng(0), { activation: "gelu" as never }), { message: "mlpConfig: argument 'opts.activation' must be one of silu, relu, tanh, elu, got gelu" });
});

test("an MLP has depth hidden layers then a zero output layer (label table last), and starts by predicting 0", async () => {
  await initBackend();
  const net = new MLP(mlpConfig([2, 2], new Rng(0), { width: 5, depth: 2, embeddingDim: 4, classes: 3 }), new Rng(1));
  assert.deepEqual(net.names, ["hidden0.w", "hidden0.b", "hidden1.w", "hidden1.b", "out.w", "out.b", "label.emb"]);
  // Input: 4 pixels + 4 embedding features.
  assert.deepEqual(net.variables.map((v) => v.shape), [[8, 5], [5], [5, 5], [5], [5, 4], [4], [4, 4]]);
  assert.equal(net.inputSize, 4);
  const x = new Rng(2).normal([3, 2, 2]), c = tf.tensor1d([0.1, 0.5, 1]);
  const out = net.apply(x, c);
  assert.deepEqual(out.shape, [3, 2, 2]);
  assert.deepEqual(Array.from(out.dataSync()).map(Math.abs), new Array(12).fill(0));
  tf.dispose([x, c, out]);
  net.dispose();
  assert.ok(net.variables.every((v) => v.isDisposed));
});
