import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend, Rng } from "../../src/tensor";
import { mixedMutualInformation, trainingSetMutualInformation, nearestSetMutualInformation, plugInMutualInformation } from "../../src/generalization/mutual-information";

test("MI estimate is near 0 when generated data do not depend on the training-set draw", async () => {
  await initBackend();
  const rng = new Rng(10);
  const K = 4; const per = 200;
  const draws = Array.from({ length: K }, () => rng.normal([per, 2]));
  const r = trainingSetMutualInformation(draws, { k: 3 });
  // Measured bias of this estimator at N = 800, k = 3 on independent data is a few hundredths of a nat;
  // 0.05 nats is < 4% of log 4 = 1.386.
  assert.ok(Math.abs(r.mi) < 0.05, `independent: ${r.mi}`);
  assert.ok(Math.abs(r.labelEntropy - Math.log(K)) < 1e-12);
  tf.dispose(draws);
});

test("MI estimate is near log K when each generator copies its own training set, and grows with separation", async () => {
  await initBackend();
  const rng = new Rng(11);
  const K = 4; const nTrain = 50; const per = 200;
  const copies: tf.Tensor[] = [];
  for (let j = 0; j < K; j++) {
    const train = rng.normal([nTrain, 2]);
    const pick = tf.tensor1d(Array.from({ length: per }, () => rng.int(nTrain)), "int32");
    // Copies up to 1e-6 (so that no two copies tie exactly at distance 0).
    copies.push(tf.add(tf.gather(train, pick), rng.normal([per, 2]).mul(1e-6)));
    tf.dispose([train, pick]);
  }
  // With k = 1 a copy's nearest same-label neighbour is a copy of the same point unless its point was drawn once
  // (probability (49/50)^199 ~ 2%): the estimate sits close to the ceiling log 4 = 1.386.
  const r1 = trainingSetMutualInformation(copies, { k: 1 });
  assert.ok(r1.mi > Math.log(K) - 0.1 && r1.mi < Math.log(K) + 0.05, `copies k=1: ${r1.mi}`);
  // At k = 3 many points have fewer than 4 copies: the documented downward bias (measured ~1.07).
  const r3 = trainingSetMutualInformation(copies, { k: 3 });
  assert.ok(r3.mi < r1.mi && r3.mi > 0.5, `copies k=3: ${r3.mi}`);
  // A partly informative case lies between: two labelled Gaussians one standard deviation apart.
  const a = rng.normal([300, 1]); const b = tf.add(rng.normal([300, 1]), 1);
  const mid = trainingSetMutualInformation([a, b]).mi;
  // Exact I for N(0,1) vs N(1,1) with equal weights is about 0.12 nats (numerical integral, 1-D).
  assert.ok(mid > 0.04 && mid < 0.25, `mid: ${mid}`);
  assert.throws(() => mixedMutualInformation(a, [0, 1]), /mixedMutualInformation: argument 'labels'/);
  tf.dispose([...copies, a, b]);
});

test("nearest-set plug-in MI: log K on copies (even one copy per training point), ~0 on independent draws", async () => {
  await initBackend();
  const rng = new Rng(12);
  const K = 3; const nTrain = 300; const per = 100;
  const sets = Array.from({ length: K }, () => rng.normal([nTrain, 2]));
  const copies = sets.map((s) => tf.add(s.slice([0, 0], [per, 2]), rng.normal([per, 2]).mul(1e-5)));
  const c = nearestSetMutualInformation(copies, sets);
  // Every copy's nearest pooled point is its own original: the table is diagonal and the plug-in is H(L) exactly.
  assert.ok(Math.abs(c.mi - Math.log(K)) < 1e-9, `copies ${c.mi}`);
  assert.equal(c.ownSetFraction, 1);
  const fresh = Array.from({ length: K }, () => rng.normal([per, 2]));
  const f = nearestSetMutualInformation(fresh, sets);
  // Plug-in bias (K-1)^2/(2N) = 4/600 = 0.0067; the sampling sd of the plug-in is of the same order: 0.03 allows ~4 of them.
  assert.ok(f.mi < 0.03 && Math.abs(f.miMillerMadow) < 0.03, `independent ${f.mi} ${f.miMillerMadow}`);
  assert.ok(Math.abs(f.ownSetFraction - 1 / K) < 0.1);
  const before = tf.memory().numTensors;
  nearestSetMutualInformation(fresh, sets); trainingSetMutualInformation(fresh);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => nearestSetMutualInformation(fresh, sets.slice(1)), /nearestSetMutualInformation: argument 'trainSets'/);
  tf.dispose([...sets, ...copies, ...fresh]);
});

test("plugInMutualInformation: closed forms at copies and at a known table; its standard error matches the spread of simulated tables", () => {
  // A diagonal table (every sample names its own set): I = ln 2 exactly; the delta term is 0, leaving the
  // chi-square term sqrt((K - 1)^2 / (2 N^2)) = 1 / (N sqrt 2).
  const copy = plugInMutualInformation([500, 0, 0, 500], 2);
  assert.ok(Math.abs(copy.mi - Math.LN2) < 1e-12);
  assert.ok(Math.abs(copy.standardError - 1 / (1000 * Math.SQRT2)) < 1e-15);
  // Joint p = [[0.4, 0.1], [0.1, 0.4]] as counts of N = 1000: I = 0.8 ln 1.6 + 0.2 ln 0.4 by hand.
  const p = [0.4, 0.1, 0.1, 0.4];
  const r = plugInMutualInformation(p.map((q) => q * 1000), 2);
  const I = 0.8 * Math.log(1.6) + 0.2 * Math.log(0.4);
  assert.ok(Math.abs(r.mi - I) < 1e-12);
  const second = 0.8 * Math.log(1.6) ** 2 + 0.2 * Math.log(0.4) ** 2;
  assert.ok(Math.abs(r.standardError - Math.sqrt((second - I * I) / 1000 + 1 / (2 * 1e6))) < 1e-15);
  // 400 multinomial tables of N = 1000 from p: the sd of their plug-in I estimates the true sampling sd with a
  // relative error of about 1 / sqrt(2 * 400) = 3.5%, and the delta method's own error at N = 1000 is smaller; 15%.
  const rng = new Rng(5);
  const est: number[] = [];
  for (let rep = 0; rep < 400; rep++) {
    const t = [0, 0, 0, 0];
    for (let i = 0; i < 1000; i++) { const u = rng.next(); t[u < 0.4 ? 0 : u < 0.5 ? 1 : u < 0.6 ? 2 : 3]++; }
    est.push(plugInMutualInformation(t, 2).mi);
  }
  const mean = est.reduce((a, b) => a + b, 0) / est.length;
  const sd = Math.sqrt(est.reduce((a, b) => a + (b - mean) ** 2, 0) / (est.length - 1));
  assert.ok(Math.abs(sd / r.standardError - 1) < 0.15, `simulated sd ${sd}, standard error ${r.standardError}`);
  assert.throws(() => plugInMutualInformation([1, 2, 3], 2), /plugInMutualInformation: argument 'table' must hold K \* K = 4 counts/);
  assert.throws(() => plugInMutualInformation([1, -2, 3, 4], 2), /plugInMutualInformation: argument 'table\[1\]'/);
});
