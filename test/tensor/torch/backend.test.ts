// The torch backend's bookkeeping (src/tensor/torch/backend.ts): one native handle per tfjs data id, freed on dispose.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { activateTorch } from "../../../src/tensor/torch";
import { T } from "./values";

test("torch tensors are freed at once on dispose and tf.memory() counts them; nothing grows across repeated tidies", async () => {
  await activateTorch("cpu");
  const b = tf.backend() as unknown as { memory(): { numBytesInTorch: number; numTorchTensors: number } };
  const before = b.memory();
  const x = tf.zeros([1000, 100]);
  assert.equal(b.memory().numBytesInTorch - before.numBytesInTorch, 400000);
  x.dispose();
  assert.deepEqual(b.memory(), before);
  const w = tf.variable(T([32, 32], 1));
  const step = (): void => { tf.tidy(() => { const g = tf.grad((v: tf.Tensor) => tf.sum(tf.relu(tf.matMul(v, v))))(w); w.assign(tf.sub(w, tf.mul(g, 1e-3))); }); };
  for (let i = 0; i < 20; i++) step();
  const mid = { ...b.memory(), tf: tf.memory().numTensors };
  for (let i = 0; i < 500; i++) step();
  assert.deepEqual({ ...b.memory(), tf: tf.memory().numTensors }, mid);
  w.dispose();
});

