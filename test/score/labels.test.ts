// Class labels of conditional networks (src/score/labels.ts): label tensors with the null label, the label table
// added to an embedding, and errors that name the row and the range.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor";
import { checkClasses, labelTensor, withLabels } from "../../src/score/labels";

test("labelTensor: one class for all rows, one per row, or the null label (= classes)", async () => {
  await initBackend();
  const cases: [Parameters<typeof labelTensor>[0], number[]][] = [[null, [5, 5, 5]], [2, [2, 2, 2]], [[0, 4, 5], [0, 4, 5]], [Int32Array.from([1, 1, 3]), [1, 1, 3]]];
  for (const [labels, want] of cases) {
    const t = labelTensor(labels, 3, 5, "f", "label");
    assert.equal(t.dtype, "int32");
    assert.deepEqual(Array.from(t.dataSync()), want, String(labels));
    t.dispose();
  }
  const given = tf.tensor1d([4, 0, 1], "int32");
  const t = labelTensor(given, 3, 5, "f", "label");
  assert.deepEqual(Array.from(t.dataSync()), [4, 0, 1]);
  tf.dispose([given, t]);
});

test("labelTensor names the argument, and the row, of a label out of range", () => {
  const range = "an integer class in [0, 5) or null (unconditional)";
  assert.throws(() => labelTensor(5, 2, 5, "f", "label"), { message: `f: argument 'label' must be ${range}, got 5` });
  assert.throws(() => labelTensor(1.5, 2, 5, "f", "label"), { message: `f: argument 'label' must be ${range}, got 1.5` });
  assert.throws(() => labelTensor([0, 6], 2, 5, "f", "label"), { message: `f: argument 'label[1]' must be ${range} (or 5, the null label), got 6` });
  assert.throws(() => labelTensor([0], 2, 5, "f", "label"), { message: "f: argument 'label' must be one label per row (2), or one label for all" });
});

test("checkClasses passes undefined or an integer >= 1", () => {
  assert.equal(checkClasses(undefined, "f"), undefined);
  assert.equal(checkClasses(10, "f"), 10);
  assert.throws(() => checkClasses(0, "f"), /^Error: f: argument 'opts.classes'/);
  assert.throws(() => checkClasses(2.5, "f", "classes"), /^Error: f: argument 'classes'/);
});

test("withLabels adds the labels' rows of the table; no labels means the null (last) row", async () => {
  await initBackend();
  const emb = tf.tensor2d([[10, 20], [30, 40]]), table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const labels = tf.tensor1d([0, 1], "int32");
  const a = withLabels(emb, table, labels), b = withLabels(emb, table);
  assert.deepEqual(a.arraySync(), [[11, 22], [33, 44]]);
  assert.deepEqual(b.arraySync(), [[15, 26], [35, 46]]);
  tf.dispose([emb, table, labels, a, b]);
});
