import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { nearestNeighbours } from "../../src/metrics/knn";
import { bruteForce } from "./brute-force-knn";

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

test("nearest neighbours of 10,000 against 10,000 2-D points finish in seconds", async () => {
  await initBackend();
  const rng = new Rng(34);
  const q = rng.normal([10_000, 2]); const r = rng.normal([10_000, 2]);
  const t0 = Date.now();
  const nn = nearestNeighbours(q, r, { k: 2 });
  // Measured ~1.8 s on this machine; 30 s leaves room for a loaded CI runner.
  assert.ok(Date.now() - t0 < 30_000);
  assert.equal(nn.index.length, 20_000);
  tf.dispose([q, r]);
});
