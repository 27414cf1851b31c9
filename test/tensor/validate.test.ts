// The shared validators (src/tensor/validate.ts): every message reads "fn: argument 'name' <problem>".
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  fail, checkTensor, checkRank, checkFiniteTensor, checkNumber, checkPositiveInt, checkSteps, checkTensorSize, MAX_STEPS, MAX_TENSOR_ELEMENTS,
} from "../../src/tensor/validate";
import { initBackend } from "../../src/tensor/backend";

test("fail throws one Error naming the function and the argument", () => {
  assert.throws(() => fail("sample", "x", "must be positive"), (e: unknown) => e instanceof Error && e.message === "sample: argument 'x' must be positive");
});

test("checkTensor, checkRank and checkFiniteTensor accept good tensors and name what is wrong", async () => {
  await initBackend();
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  assert.equal(checkTensor(x, "x", "f"), x);
  assert.throws(() => checkTensor([1, 2], "x", "f"), /^Error: f: argument 'x' must be a tf\.Tensor, got object$/);
  assert.throws(() => checkTensor(null, "x", "f"), /must be a tf\.Tensor, got null/);
  checkRank(x, 2, "x", "f");
  checkRank(x, [1, 2], "x", "f");
  assert.throws(() => checkRank(x, 3, "x", "f"), /f: argument 'x' must have rank 3, got shape \[2,2\]/);
  assert.throws(() => checkRank(x, [1, 3], "x", "f"), /must have rank 1 or 3, got shape \[2,2\]/);
  checkFiniteTensor(x, "x", "f");
  const bad = tf.tensor1d([1, NaN, 3]), inf = tf.tensor1d([-Infinity]);
  assert.throws(() => checkFiniteTensor(bad, "x", "f"), /f: argument 'x' contains NaN or Infinity \(shape \[3\]\)/);
  assert.throws(() => checkFiniteTensor(inf, "x", "f"), /contains NaN or Infinity/);
  const before = tf.memory().numTensors;
  checkFiniteTensor(x, "x", "f");
  assert.equal(tf.memory().numTensors, before, "the finite check leaves no tensors");
  tf.dispose([x, bad, inf]);
  assert.throws(() => checkTensor(x, "x", "f"), /f: argument 'x' is a disposed tensor/);
});

test("checkNumber returns the number and applies each bound; checkPositiveInt and checkSteps build on it", () => {
  assert.equal(checkNumber(2.5, "a", "f", { min: 2.5, max: 2.5 }), 2.5, "min and max are inclusive");
  for (const v of [NaN, Infinity, "1", undefined]) assert.throws(() => checkNumber(v, "a", "f"), /f: argument 'a' must be a finite number, got /);
  assert.throws(() => checkNumber(1.5, "a", "f", { integer: true }), /must be an integer, got 1\.5/);
  assert.throws(() => checkNumber(1, "a", "f", { min: 2 }), /must be >= 2, got 1/);
  assert.throws(() => checkNumber(3, "a", "f", { max: 2 }), /must be <= 2, got 3/);
  assert.throws(() => checkNumber(0, "a", "f", { gt: 0 }), /must be > 0, got 0/, "gt is strict");
  assert.throws(() => checkNumber(1, "a", "f", { lt: 1 }), /must be < 1, got 1/, "lt is strict");
  assert.equal(checkPositiveInt(3, "n", "f"), 3);
  assert.throws(() => checkPositiveInt(0, "n", "f"), /f: argument 'n' must be >= 1, got 0/);
  assert.equal(checkSteps(MAX_STEPS, "steps", "f"), MAX_STEPS);
  assert.throws(() => checkSteps(MAX_STEPS + 1, "steps", "f"), /f: argument 'steps' must be <= 1000000 \(more steps exhaust memory and take hours\), got 1000001/);
  assert.throws(() => checkSteps(1e12, "steps", "f"), /must be <= 1000000/);
});

test("checkTensorSize allows exactly the limit and names the size past it", () => {
  assert.equal(MAX_TENSOR_ELEMENTS, 2 ** 28);
  checkTensorSize(MAX_TENSOR_ELEMENTS, "n", "f");
  assert.throws(() => checkTensorSize(MAX_TENSOR_ELEMENTS + 1, "opts.n", "f"),
    /f: argument 'opts\.n' gives 268435457 elements, more than the limit 268435456 \(2\^28\) for one tensor on this backend/);
  assert.throws(() => checkTensorSize(NaN, "n", "f"), /gives NaN elements/, "a NaN size is refused, not passed");
  assert.throws(() => checkTensorSize(9, "n", "f", 8, "bytes"), /gives 9 bytes, more than the limit 8 \(2\^3\)/);
});
