import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../../src/tensor";
import { veSDE, vpSDE } from "../../../src/sde";
import { empiricalDenoiser, empiricalScore } from "../../../src/score/exact/empirical";
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
