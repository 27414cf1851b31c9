// trajectoriesFigure (src/plot/trajectories.ts): one line per particle through its positions over time.
import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import * as p from "../../src/plot/trajectories";

before(async () => {
  await initBackend();
});

test("paths go particle by particle through the frames, separated by null; ends are marked; maxParticles keeps the first", () => {
  const frames = [[[0, 0], [10, 10]], [[1, 2], [11, 12]], [[2, 4], [12, 14]]];
  const f = p.trajectoriesFigure(frames);
  assert.deepEqual(f.data[0].x, [0, 1, 2, null, 10, 11, 12, null]);
  assert.deepEqual(f.data[0].y, [0, 2, 4, null, 10, 12, 14, null]);
  assert.deepEqual([f.data[1].name, f.data[1].x, f.data[2].name, f.data[2].x], ["start", [0, 10], "end", [2, 12]]);
  assert.equal((f.layout.title as { text: string }).text, "Trajectories (2 particles, 3 steps)");
  const one = p.trajectoriesFigure(frames, { maxParticles: 1, showEnds: false });
  assert.deepEqual(one.data.length, 1);
  assert.deepEqual(one.data[0].x, [0, 1, 2, null]);
  const bad = tf.tensor3d([[[0, NaN]]]);
  assert.throws(() => p.trajectoriesFigure(bad), /trajectoriesFigure: argument 'frames' must hold finite coordinates; frame 0, particle 0 is \(0, NaN\)/);
  assert.throws(() => p.trajectoriesFigure(tf.zeros([2, 3])), /trajectoriesFigure: argument 'frames' must be a tensor of shape \[steps, n, 2\], got shape \[2,3\]/);
  assert.throws(() => p.trajectoriesFigure(frames, { maxParticles: 0 }), /trajectoriesFigure: argument 'opts.maxParticles' must be >= 1/);
  bad.dispose();
});

test("bad input: clear errors naming builder and argument", () => {
  const cases: [() => unknown, RegExp][] = [
    [() => p.trajectoriesFigure([[[0, 0]], [[0, 0], [1, 1]]]), /trajectoriesFigure: argument 'frames\[1\]' must have the same number of particles/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});
