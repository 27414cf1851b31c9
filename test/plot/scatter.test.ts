// samplesFigure (src/plot/scatter.ts): 2-D samples with optional reference and training points.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import * as p from "../../src/plot/scatter";

before(async () => {
  await initBackend();
});

test("samplesFigure reads tensors like arrays and does not leak tensors", () => {
  const x = tf.tensor2d([[0, 1], [2, 3]]);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const a = p.samplesFigure(x);
    const b = p.samplesFigure([[0, 1], [2, 3]]);
    assert.deepEqual(a.data, b.data);
  }
  assert.equal(tf.memory().numTensors, before);
  assert.equal(x.isDisposed, false, "the caller's tensor is left alone");
  x.dispose();
});

test("samples, reference and training points are separate traces in their role colours", () => {
  const f = p.samplesFigure([[0, 1], [2, 3]], { reference: [[5, 5]], training: [[7, 8], [9, 9]], title: "mine" });
  // Reference and training first, so the samples are drawn on top.
  assert.deepEqual(f.data.map((t) => t.name), ["reference", "training set", "samples"]);
  const samples = f.data.find((t) => t.name === "samples")!;
  assert.deepEqual([samples.x, samples.y], [[0, 2], [1, 3]]);
  const all = f.data.flatMap((t) => t.x as number[]).sort((a, b) => a - b);
  assert.deepEqual(all, [0, 2, 5, 7, 9], "every point is drawn once");
  assert.equal((f.layout.title as { text: string }).text, "mine");
});

test("bad input: clear errors naming builder and argument", () => {
  const flat = tf.zeros([3]);
  const cases: [() => unknown, RegExp][] = [
    [() => p.samplesFigure([]), /samplesFigure: argument 'samples' must not be empty/],
    [() => p.samplesFigure([[0, NaN]]), /samplesFigure: argument 'samples' must hold finite numbers; entry \[0\]\[1\] is NaN/],
    [() => p.samplesFigure([[0, 1, 2]]), /samplesFigure: argument 'samples' must have 2 columns/],
    [() => p.samplesFigure([[0, 1]], { reference: [[1]] }), /samplesFigure: argument 'opts.reference'/],
    [() => p.samplesFigure(flat), /samplesFigure: argument 'samples' must be a tensor of shape \[n,2\]/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
  flat.dispose();
});
