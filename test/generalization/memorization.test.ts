import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { nearestNeighbours } from "../../src/metrics";
import { memorization } from "../../src/generalization/memorization";
import { bruteForce } from "../metrics/brute-force-knn";

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
