// Named parameter lists (src/score/params.ts): creation order is checkpoint order, initial tensors are freed, dense
// weights are LeCun-normal draws of the given rng, and a repeated name is an Error.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { ParamList } from "../../src/score/params";

test("ParamList keeps names and variables in creation order and holds exactly one tensor per parameter", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const p = new ParamList();
  const w = p.dense("l0.w", 4, 2, new Rng(3));
  p.zeros("l0.b", [2]);
  p.ones("norm.g", [3]);
  p.dense("out.w", 2, 1, new Rng(0), 0);
  assert.deepEqual(p.names, ["l0.w", "l0.b", "norm.g", "out.w"]);
  assert.equal(p.variables[0], w);
  assert.equal(tf.memory().numTensors, before + 4, "the initial tensors were disposed");
  // LeCun normal: std 1 / sqrt(fanIn) = 0.5, the same draws as the rng gives directly.
  const want = new Rng(3).normal([4, 2], 0, 0.5);
  assert.deepEqual(Array.from(w.dataSync()), Array.from(want.dataSync()));
  assert.deepEqual(Array.from(p.variables[1].dataSync()), [0, 0]);
  assert.deepEqual(Array.from(p.variables[2].dataSync()), [1, 1, 1]);
  assert.deepEqual(Array.from(p.variables[3].dataSync()), [0, 0], "gain 0 gives zeros");
  assert.ok(p.variables.every((v) => v.trainable));
  assert.throws(() => p.zeros("l0.b", [1]), { message: "ParamList.add: duplicate parameter name 'l0.b'" });
  assert.equal(p.params.length, 4, "a refused parameter is not added");
  tf.dispose([want, ...p.variables]);
});
