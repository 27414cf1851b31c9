// Exact k-nearest-neighbour search (src/metrics/knn.ts): candidates from one matrix product, distances re-checked
// as sums of squared differences.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { Rng } from "../../src/tensor/rng";
import { nearestNeighbours } from "../../src/metrics/knn";

/** Brute force in float64: the k nearest rows (ties by index), for comparison. */
function brute(q: number[][], r: number[][], k: number): { index: number[]; distance: number[] } {
  const index: number[] = [], distance: number[] = [];
  for (const p of q) {
    const d = r.map((s, j) => ({ j, d: Math.hypot(...s.map((v, i) => v - p[i])) })).sort((u, v) => u.d - v.d || u.j - v.j);
    for (let i = 0; i < k; i++) { index.push(d[i].j); distance.push(d[i].d); }
  }
  return { index, distance };
}

test("the k nearest rows and their distances equal a float64 brute force, in chunks of any size", async () => {
  await initBackend();
  const q = new Rng(1).normal([9, 3]), r = new Rng(2).normal([20, 3]);
  const want = brute(q.arraySync() as number[][], r.arraySync() as number[][], 3);
  for (const chunk of [1, 4, 100]) {
    const nn = nearestNeighbours(q, r, { k: 3, chunk });
    assert.equal(nn.m, 9);
    assert.equal(nn.k, 3);
    assert.deepEqual(Array.from(nn.index), want.index, `chunk ${chunk}`);
    // float32 differences of N(0, 1) values, squared and summed over 3: ~1e-7 relative; 1e-5 leaves margin.
    nn.distance.forEach((d, i) => assert.ok(Math.abs(d - want.distance[i]) < 1e-5 * (1 + want.distance[i]), `chunk ${chunk} entry ${i}`));
  }
  tf.dispose([q, r]);
});

test("a distance of 1e-3 next to norms of 1000 is exact, where the matrix product alone rounds it away", async () => {
  await initBackend();
  // |q|^2 = 1e6 has float32 spacing 0.0625, far above the true squared distance 1e-6; the re-check recovers it.
  const r = tf.tensor2d([[1000, 0], [1000, 0.001], [999, 0]]);
  const q = tf.tensor2d([[1000, 0.001]]);
  const nn = nearestNeighbours(q, r, { k: 2 });
  assert.equal(nn.index[0], 1);
  assert.equal(nn.distance[0], 0);
  assert.equal(nn.index[1], 0);
  // 1000 and 1000.001 in float32: the difference is 0.001 to float32's spacing at 1000 (6e-5), so 1e-4 absolute.
  assert.ok(Math.abs(nn.distance[1] - 0.001) < 1e-4, `${nn.distance[1]}`);
  tf.dispose([q, r]);
});

test("rows of rank > 2 are flattened; ties go to the lower index; bad input names the argument", async () => {
  await initBackend();
  const images = tf.tensor3d([[[0, 0], [0, 0]], [[1, 1], [1, 1]]]);
  const nn = nearestNeighbours(tf.tensor3d([[[1, 1], [1, 0]]]), images, { k: 2 });
  // Flattened rows: (1, 1, 1, 0) is at distance 1 from (1, 1, 1, 1) and sqrt(3) from 0.
  assert.deepEqual(Array.from(nn.index), [1, 0]);
  assert.ok(Math.abs(nn.distance[1] - Math.sqrt(3)) < 1e-6);
  const tie = nearestNeighbours(tf.tensor2d([[0]]), tf.tensor2d([[1], [-1], [1]]), { k: 3, extra: 0 });
  assert.deepEqual(Array.from(tie.index), [0, 1, 2]);
  const r = tf.tensor2d([[0, 0], [1, 1]]);
  assert.throws(() => nearestNeighbours(tf.tensor1d([1, 2]), r), /nearestNeighbours: argument 'queries' must have rank >= 2 \(\[m, d\]\), got shape \[2\]/);
  assert.throws(() => nearestNeighbours(r, tf.tensor2d([[1, 2, 3]])), /nearestNeighbours: argument 'reference' must have rows of 2 values like 'queries', got shape \[1,3\]/);
  assert.throws(() => nearestNeighbours(r, r, { k: 3 }), /nearestNeighbours: argument 'k' must be <= 2, got 3/);
  assert.throws(() => nearestNeighbours(r, r, { chunk: 0 }), /nearestNeighbours: argument 'chunk' must be >= 1/);
  tf.dispose([images, r]);
});
