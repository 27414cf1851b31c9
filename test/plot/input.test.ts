// The input readers of the builders (src/plot/input.ts): arrays and tensors alike, checked at the door.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import * as p from "../../src/plot";
import { checkSameLength, readLabel, readMatrix, readOptions, readPoints, readVector } from "../../src/plot/input";

before(async () => {
  await initBackend();
});

test("tensor inputs of every kind: vectors, images, frames; no tensor growth", () => {
  const loss = tf.tensor1d([3, 2, 1]);
  const imgs = tf.zeros([2, 3, 3, 1]).add(tf.range(0, 18).reshape([2, 3, 3, 1]));
  const frames = tf.tensor3d([[[0, 0], [1, 1]], [[1, 0], [2, 1]]]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(p.trainingCurveFigure(loss).data[0].y, [3, 2, 1]);
    const g = p.imageGridFigure(imgs, { cols: 2, gap: 0 });
    const z = g.data[0].z as number[][];
    assert.deepEqual([z.length, z[0].length], [3, 6]);
    assert.equal(z[0][3], 9, "image 1 starts at column 3 (w = 3, gap 0)");
    const t = p.trajectoriesFigure(frames, { showEnds: false });
    assert.deepEqual(t.data[0].x, [0, 1, null, 1, 2, null]);
  }
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([loss, imgs, frames]);
});

test("readVector, readMatrix and readPoints read arrays and tensors alike, naming the argument on bad input", () => {
  const v = tf.tensor2d([[1], [2]]);
  assert.deepEqual(readVector(v, "f", "x"), [1, 2], "a [n, 1] tensor is a vector");
  assert.deepEqual(readVector(new Float32Array([0.5, 2]), "f", "x"), [0.5, 2]);
  assert.deepEqual(readVector([], "f", "x", { allowEmpty: true }), []);
  assert.deepEqual(readVector([1, NaN], "f", "x", { allowNonFinite: true }), [1, NaN]);
  assert.throws(() => readVector([1, NaN], "f", "x"), /f: argument 'x' must hold finite numbers; entry 1 is NaN/);
  assert.throws(() => readVector("12", "f", "x"), /f: argument 'x' must be an array of numbers or a tf\.Tensor, got string/);
  assert.throws(() => readVector([1, "2"], "f", "x"), /f: argument 'x' must be an array of numbers; entry 1 is string/);
  assert.throws(() => readVector(tf.zeros([2, 2]), "f", "x"), /f: argument 'x' must be a rank-1 tensor \(or shape \[n,1\]\), got shape \[2,2\]/);
  const m = tf.tensor2d([[1, 2], [3, 4]]);
  assert.deepEqual(readMatrix(m, "f", "z"), [[1, 2], [3, 4]]);
  assert.throws(() => readMatrix([[1, 2], [3]], "f", "z"), /f: argument 'z' must have 2 columns in every row; row 1 has 1/);
  assert.throws(() => readMatrix([[1], null], "f", "z"), /row 1 is null/);
  assert.deepEqual(readPoints(m, "f", "pts"), { x: [1, 3], y: [2, 4] });
  assert.throws(() => readPoints([[1, 2, 3]], "f", "pts"), /f: argument 'pts' must have 2 columns in every row; row 0 has 3/);
  const gone = tf.tensor1d([1]);
  gone.dispose();
  assert.throws(() => readVector(gone, "f", "x"), /f: argument 'x' is a disposed tensor/);
  tf.dispose([v, m]);
});

test("checkSameLength, readLabel and readOptions", () => {
  checkSameLength("f", { x: [1, 2], y: [3, 4] });
  assert.throws(() => checkSameLength("f", { x: [1, 2], "s[0].y": [3] }), /f: argument 's\[0\]\.y' must have the same length as 'x' \(2\), got 1/);
  assert.equal(readLabel(undefined, "dflt", "f", "opts.title"), "dflt");
  assert.equal(readLabel("", "dflt", "f", "opts.title"), "", "an empty label is the user's choice");
  assert.throws(() => readLabel(3, "d", "f", "opts.title"), /f: argument 'opts.title' must be a string, got number/);
  assert.deepEqual(readOptions(undefined, "f"), {});
  assert.throws(() => readOptions([], "f"), /f: argument 'opts' must be an options object/);
  assert.throws(() => readOptions(null, "f", "o"), /f: argument 'o' must be an options object/);
});
