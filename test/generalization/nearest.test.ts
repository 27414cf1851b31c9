import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { nearestNeighbours } from "../../src/metrics";
import { memorization } from "../../src/generalization/memorization";

function bruteForce(q: number[][], r: number[][], k: number): { index: number[]; distance: number[] }[] {
  return q.map((row) => {
    const ds = r.map((s, j) => ({ j, d: Math.sqrt(s.reduce((acc, v, c) => acc + (v - row[c]) ** 2, 0)) }));
    ds.sort((a, b) => a.d - b.d || a.j - b.j);
    return { index: ds.slice(0, k).map((e) => e.j), distance: ds.slice(0, k).map((e) => e.d) };
  });
}

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

test("memorization: rate, eps fraction and ratios agree with brute force; copies count, fresh draws do not", async () => {
  await initBackend();
  const rng = new Rng(3);
  const train = rng.normal([40, 2]);
  const copies = tf.add(train.slice([0, 0], [20, 2]), rng.normal([20, 2]).mul(1e-4));
  const fresh = rng.normal([30, 2]);
  const gen = tf.concat([copies, fresh]);
  const rep = memorization(gen, train, { eps: 1e-3 });
  const bf = bruteForce(gen.arraySync() as number[][], train.arraySync() as number[][], 2);
  let copied = 0; let within = 0;
  bf.forEach((b, i) => {
    const ratio = b.distance[0] / b.distance[1];
    assert.ok(Math.abs(rep.ratio[i] - ratio) < 1e-4);
    assert.equal(rep.nnIndex[i], b.index[0]);
    if (ratio < 1 / 3) copied++;
    if (b.distance[0] <= 1e-3) within++;
  });
  assert.equal(rep.memorizationRate, copied / 50);
  assert.equal(rep.fractionWithinEps, within / 50);
  // All 20 copies (1e-4 away; the second-nearest training point is ~0.1 or more away) count as copied and within eps.
  for (let i = 0; i < 20; i++) { assert.ok(rep.ratio[i] < 1 / 3); assert.ok(rep.nnDistance[i] < 1e-3); }
  assert.ok(rep.memorizationRate >= 0.4 && rep.memorizationRate < 0.7, `rate ${rep.memorizationRate}`);
  assert.throws(() => memorization(gen, train, { ratioThreshold: 2 }), /memorization: argument 'ratioThreshold'/);
  assert.throws(() => nearestNeighbours(gen, tf.zeros([3, 5])), /nearestNeighbours: argument 'reference'/);
  tf.dispose([train, copies, fresh, gen]);
});

test("nearest and memorization leak no tensors", async () => {
  await initBackend();
  const rng = new Rng(4);
  const a = rng.normal([100, 3]); const b = rng.normal([60, 3]);
  memorization(a, b);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) { nearestNeighbours(a, b, { k: 4, chunk: 17 }); memorization(a, b); }
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([a, b]);
});
