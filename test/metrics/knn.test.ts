// Exact k-nearest-neighbour search (src/metrics/knn.ts): candidates from one matrix product, distances re-checked
// as sums of squared differences.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../src/tensor/backend";
import { Rng } from "../../src/tensor/rng";
import { nearestNeighbours } from "../../src/metrics/knn";
import { bruteForce } from "./brute-force-knn";

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

test("nearestNeighbours matches brute force (indices and distances) across chunk sizes and dimensions", async () => {
  await initBackend();
  const rng = new Rng(1);
  for (const [m, n, d, chunk] of [[37, 23, 2, 5], [50, 80, 7, 64], [9, 3, 1, 2]] as const) {
    const q = rng.normal([m, d]); const r = rng.normal([n, d]);
    const k = Math.min(3, n);
    const nn = nearestNeighbours(q, r, { k, chunk });
    const bf = bruteForce(q.arraySync() as number[][], r.arraySync() as number[][], k);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) {
      assert.equal(nn.index[i * k + j], bf[i].index[j], `row ${i} neighbour ${j}`);
      // float32 inputs, differences squared in float32: relative error ~1e-6 on distances of order 1.
      assert.ok(Math.abs(nn.distance[i * k + j] - bf[i].distance[j]) < 1e-5);
    }
    tf.dispose([q, r]);
  }
});

test("nearestNeighbours resolves tiny distances next to large norms (candidates re-checked exactly)", async () => {
  await initBackend();
  const rng = new Rng(2);
  // Training points of norm ~100; queries 1e-3 away from one of them. Through |q|^2 - 2qr + |r|^2 alone the
  // float32 rounding of 1e4 is ~1e-3 in the squared distance, i.e. ~3e-2 in distance; the exact re-check gives ~1e-5.
  const r = tf.add(rng.normal([200, 2]), 100);
  const offs = rng.normal([50, 2]).mul(1e-3 / Math.SQRT2);
  const q = tf.add(r.slice([0, 0], [50, 2]), offs);
  const nn = nearestNeighbours(q, r, { k: 1 });
  const true_ = tf.norm(offs, 2, 1).dataSync();
  for (let i = 0; i < 50; i++) {
    assert.equal(nn.index[i], i);
    assert.ok(Math.abs(nn.distance[i] - true_[i]) < 2e-5, `${nn.distance[i]} vs ${true_[i]}`);
  }
  tf.dispose([r, offs, q]);
});

test("nearest neighbours of 10,000 against 10,000 2-D points (several chunks) agree with a brute-force search", async () => {
  // Its speed and memory are measured in the bench (bench/nearest.ts), not here.
  await initBackend();
  const rng = new Rng(34);
  const q = rng.normal([10_000, 2]); const r = rng.normal([10_000, 2]);
  const nn = nearestNeighbours(q, r, { k: 2 });
  assert.equal(nn.index.length, 20_000);
  const qa = q.dataSync(), ra = r.dataSync();
  // Queries spread over every chunk; float64 brute force over all 10,000 points.
  for (const i of [0, 1, 2499, 2500, 4999, 5000, 7777, 9999]) {
    const d = Array.from({ length: 10_000 }, (_, j) => Math.hypot(qa[2 * i] - ra[2 * j], qa[2 * i + 1] - ra[2 * j + 1]));
    const order = d.map((_, j) => j).sort((x, y) => d[x] - d[y]);
    // float32 distances from |q|^2 + |r|^2 - 2 q.r: ties closer than ~1e-5 may swap, so compare distances, then indices.
    for (let k = 0; k < 2; k++) assert.ok(Math.abs(nn.distance[2 * i + k] - d[order[k]]) < 1e-4, `query ${i}, neighbour ${k}`);
    assert.equal(nn.index[2 * i], order[0], `query ${i}`);
  }
  tf.dispose([q, r]);
});
