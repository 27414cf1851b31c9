import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { veSDE, vpSDE, subVpSDE } from "../../src/sde";
import { empiricalDenoiser, empiricalScore, gaussianScore, mixtureScore } from "../../src/score/exact";
import { GaussianMixture } from "../../src/data/gmm";

/** Solves A y = b by Gaussian elimination with partial pivoting (float64, small d). */
function solve(A: number[][], b: number[]): number[] {
  const d = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(M[i][k]) > Math.abs(M[p][k])) p = i;
    [M[k], M[p]] = [M[p], M[k]];
    for (let i = k + 1; i < d; i++) { const f = M[i][k] / M[k][k]; for (let j = k; j <= d; j++) M[i][j] -= f * M[k][j]; }
  }
  const y = new Array(d).fill(0);
  for (let i = d - 1; i >= 0; i--) { let s = M[i][d]; for (let j = i + 1; j < d; j++) s -= M[i][j] * y[j]; y[i] = s / M[i][i]; }
  return y;
}

const mean = [1, -2, 0.5];
const cov = [[2, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 0.5]];

test("gaussianScore equals -(a^2 S + s^2 I)^{-1}(x - a mu) solved directly, and the gradient of its logDensity", async () => {
  await initBackend();
  for (const sde of [vpSDE(), veSDE(), subVpSDE()]) {
    const m = gaussianScore(sde, mean, cov);
    const xs = [[0.3, -1, 2], [1, 1, 1], [-2, 0, 0.1]];
    const ts = [0.01, 0.4, 0.95];
    const x = tf.tensor2d(xs), t = tf.tensor1d(ts);
    const s = m.score(x, t).arraySync() as number[][];
    const g = tf.grad((u: tf.Tensor) => tf.sum(m.logDensity!(u, t)))(x).arraySync() as number[][];
    xs.forEach((xi, i) => {
      const { scale: a, std } = sde.marginalAt(ts[i]);
      const C = cov.map((r, p) => r.map((v, q) => a * a * v + (p === q ? std * std : 0)));
      const want = solve(C, xi.map((v, p) => -(v - a * mean[p])));
      // float32 arithmetic on O(1..10) values: 1e-4 relative to the largest entry.
      const scaleTol = 1e-4 * Math.max(1, ...want.map(Math.abs));
      want.forEach((w, p) => {
        assert.ok(Math.abs(s[i][p] - w) <= scaleTol, `${sde.kind} row ${i} dim ${p}: ${s[i][p]} vs ${w}`);
        assert.ok(Math.abs(g[i][p] - w) <= 10 * scaleTol, `${sde.kind} grad logDensity row ${i} dim ${p}`);
      });
    });
    tf.dispose([x, t]);
    m.dispose();
  }
});

test("mixtureScore agrees with the responsibilities formula computed by hand (1-D)", () => {
  const gmm = new GaussianMixture({ weights: [0.3, 0.7], means: [[-2], [1.5]], covs: [[[0.25]], [[1]]] });
  const sde = vpSDE();
  const m = mixtureScore(sde, gmm);
  const xs = [-3, -0.5, 0, 2.2], ts = [0.05, 0.3, 0.6, 0.99];
  const s = m.score(tf.tensor2d(xs, [4, 1]), tf.tensor1d(ts)).dataSync();
  xs.forEach((x, i) => {
    const { scale: a, std } = sde.marginalAt(ts[i]);
    const comps = [[0.3, -2, 0.25], [0.7, 1.5, 1]].map(([w, mu, v]) => {
      const vt = a * a * v + std * std;
      return { p: (w / Math.sqrt(2 * Math.PI * vt)) * Math.exp(-((x - a * mu) ** 2) / (2 * vt)), sc: -(x - a * mu) / vt };
    });
    const z = comps[0].p + comps[1].p;
    const want = (comps[0].p * comps[0].sc + comps[1].p * comps[1].sc) / z;
    assert.ok(Math.abs(s[i] - want) < 1e-4 * Math.max(1, Math.abs(want)), `x=${x}: ${s[i]} vs ${want}`);
  });
});

/** Brute-force empirical score and posterior mean in float64. */
function bruteEmpirical(data: number[][], x: number[], a: number, s: number): { score: number[]; mean: number[] } {
  const logits = data.map((y) => -y.reduce((acc, v, p) => acc + (x[p] - a * v) ** 2, 0) / (2 * s * s));
  const mx = Math.max(...logits);
  const w = logits.map((l) => Math.exp(l - mx));
  const z = w.reduce((p, q) => p + q, 0);
  const mean = x.map((_, p) => data.reduce((acc, y, j) => acc + (w[j] / z) * y[p], 0));
  return { mean, score: x.map((v, p) => (a * mean[p] - v) / (s * s)) };
}

test("empiricalScore and empiricalDenoiser equal a brute-force computation, across chunks and row blocks", () => {
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

test("bad input to exact scores throws errors that name the problem", () => {
  const sde = vpSDE();
  assert.throws(() => gaussianScore(sde, [], 1), /gaussianScore: argument 'mean'/);
  assert.throws(() => gaussianScore(sde, [0, 0], [[1, 0]]), /gaussianScore: argument 'cov'/);
  assert.throws(() => gaussianScore(sde, [0, 0], [[1, 2], [2, 1]]), /gaussianScore: argument 'cov' must be positive semi-definite/);
  assert.throws(() => gaussianScore({} as never, [0], 1), /gaussianScore: argument 'sde'/);
  const bad = tf.tensor2d([[0, NaN], [1, 1]]);
  assert.throws(() => empiricalScore(sde, bad), /empiricalScore: argument 'data' contains NaN/);
  const r1 = tf.tensor1d([1, 2]);
  assert.throws(() => empiricalScore(sde, r1 as never), /empiricalScore: argument 'data' must be a non-empty rank-2/);
  assert.throws(() => mixtureScore(sde, {} as never), /mixtureScore: argument 'gmm'/);
  const m = gaussianScore(sde, [0, 0]);
  const x3 = tf.zeros([4, 3]), t4 = tf.zeros([4]), t5 = tf.zeros([5]), x2 = tf.zeros([4, 2]);
  assert.throws(() => m.score(x3, t4), /gaussianScore.score: argument 'x' must have shape \[n, 2\]/);
  assert.throws(() => m.score(x2, t5), /gaussianScore.score: argument 't' must have shape \[4\]/);
  m.dispose();
  assert.throws(() => m.score(x2, t4), /was disposed/);
  tf.dispose([bad, r1, x3, t4, t5, x2]);
});

test("exact scores leak no tensors across repeated calls", () => {
  const sde = vpSDE();
  const data = new Rng(1).normal([50, 2]) as tf.Tensor2D;
  const gmm = new GaussianMixture({ weights: [0.5, 0.5], means: [[-1, 0], [1, 0]] });
  const models = [gaussianScore(sde, [0, 1], [[1, 0.2], [0.2, 1]]), mixtureScore(sde, gmm), empiricalScore(sde, data, { chunk: 16, maxElements: 64 })];
  const x = tf.ones([10, 2]), t = tf.fill([10], 0.5);
  for (const m of models) tf.dispose(m.score(x, t));
  const before = tf.memory().numTensors;
  for (let k = 0; k < 5; k++) for (const m of models) { tf.dispose(m.score(x, t)); if (m.logDensity) tf.dispose(m.logDensity(x, t)); }
  assert.equal(tf.memory().numTensors, before);
  for (const m of models) m.dispose();
  tf.dispose([x, t, data]);
});
