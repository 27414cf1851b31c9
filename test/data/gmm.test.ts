import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng, initBackend } from "../../src/tensor";
import { GaussianMixture, singleGaussian } from "../../src/data/gmm";
import { solveLinear } from "../../src/linalg/solve";

/** A y = b in float64 (src/linalg/solve.ts, tested against hand-solved systems in test/linalg/solve.test.ts). */
const solve = (A: number[][], b: number[]): number[] => solveLinear(A, b.map((v) => [v]))!.map((r) => r[0]);

function det(A: number[][]): number {
  const n = A.length;
  const m = A.map((r) => r.slice());
  let d = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (p !== c) { [m[c], m[p]] = [m[p], m[c]]; d = -d; }
    d *= m[c][c];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k < n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return d;
}

const S3 = [[2, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 0.5]];
const MU3 = [1, -2, 0.5];

test("single Gaussian: score and log density equal the closed forms, with per-row scale and std", async () => {
  await initBackend();
  const g = singleGaussian(MU3, S3);
  const rng = new Rng(11);
  const n = 7;
  const xs = Array.from({ length: n }, () => [0, 1, 2].map(() => 2 * rng.nextNormal()));
  const as = Array.from({ length: n }, (_, i) => 0.2 + 0.15 * i);
  const ss = Array.from({ length: n }, (_, i) => 0.05 + 0.3 * i);
  const x = tf.tensor2d(xs);
  const aT = tf.tensor1d(as), sT = tf.tensor2d(ss, [n, 1]);
  const score = g.score(x, aT, sT).arraySync();
  const logp = g.logDensity(x, aT, sT).arraySync();
  for (let i = 0; i < n; i++) {
    const C = S3.map((r, p) => r.map((v, q) => as[i] ** 2 * v + (p === q ? ss[i] ** 2 : 0)));
    const diff = xs[i].map((v, p) => v - as[i] * MU3[p]);
    const y = solve(C, diff);
    const quad = diff.reduce((acc, v, p) => acc + v * y[p], 0);
    const lp = -0.5 * (3 * Math.log(2 * Math.PI) + Math.log(det(C)) + quad);
    // float32 arithmetic on O(10) quantities: relative rounding ~1e-6; 1e-4 relative is generous but catches errors.
    for (let p = 0; p < 3; p++) assert.ok(Math.abs(score[i][p] + y[p]) < 1e-4 * (1 + Math.abs(y[p])), `score row ${i}: ${score[i]} vs ${y.map((v) => -v)}`);
    assert.ok(Math.abs(logp[i] - lp) < 1e-4 * (1 + Math.abs(lp)), `logp row ${i}: ${logp[i]} vs ${lp}`);
  }
  tf.dispose([x, aT, sT]);
});

test("1-D mixture: log density, score and responsibilities match the direct formula", () => {
  const w = [0.6, 0.4], m = [-6, 6], v = [0.64, 0.64];
  const g = new GaussianMixture({ weights: w, means: m.map((u) => [u]), covs: v });
  const pts = [-9, -6.5, -1, 0, 0.3, 2, 5.9, 12];
  const a = 0.7, s = 1.3;
  const x = tf.tensor2d(pts, [pts.length, 1]);
  const lp = g.logDensity(x, a, s).arraySync();
  const sc = g.score(x, a, s).arraySync();
  const r = g.responsibilities(x, a, s).arraySync();
  pts.forEach((xi, i) => {
    const comps = w.map((wj, j) => { const c = a * a * v[j] + s * s; return wj * Math.exp(-((xi - a * m[j]) ** 2) / (2 * c)) / Math.sqrt(2 * Math.PI * c); });
    const dcomps = w.map((_, j) => { const c = a * a * v[j] + s * s; return comps[j] * (-(xi - a * m[j]) / c); });
    const p = comps[0] + comps[1];
    // Tolerances: float32 rounding relative to the magnitude of each quantity (logp up to ~20, score up to ~5).
    assert.ok(Math.abs(lp[i] - Math.log(p)) < 1e-4 * (1 + Math.abs(Math.log(p))), `logp at ${xi}`);
    assert.ok(Math.abs(sc[i][0] - (dcomps[0] + dcomps[1]) / p) < 1e-4 * (1 + Math.abs(sc[i][0])), `score at ${xi}`);
    assert.ok(Math.abs(r[i][0] - comps[0] / p) < 1e-5, `responsibility at ${xi}`);
    assert.ok(Math.abs(r[i][0] + r[i][1] - 1) < 1e-6);
  });
  x.dispose();
});

test("score is the finite-difference gradient of logDensity (3-D mixture with full covariances)", () => {
  const g = new GaussianMixture({
    weights: [0.3, 0.5, 0.2],
    means: [[0, 0, 0], [2, -1, 1], [-1, 2, 0]],
    covs: [S3, 0.7, [[1, 0.3, 0], [0.3, 0.8, 0.1], [0, 0.1, 0.6]]],
  });
  const rng = new Rng(5);
  const n = 6, h = 1e-2;
  const base = Array.from({ length: n }, () => [0, 1, 2].map(() => 1.5 * rng.nextNormal()));
  const a = tf.tensor1d([1, 0.9, 0.7, 0.5, 0.3, 0.1]);
  const s = tf.tensor1d([0, 0.2, 0.5, 0.8, 1.0, 1.5]);
  const x = tf.tensor2d(base);
  const sc = g.score(x, a, s).arraySync();
  for (let p = 0; p < 3; p++) {
    const plus = tf.tensor2d(base.map((r) => r.map((v, q) => v + (q === p ? h : 0))));
    const minus = tf.tensor2d(base.map((r) => r.map((v, q) => v - (q === p ? h : 0))));
    const lp = g.logDensity(plus, a, s).arraySync(), lm = g.logDensity(minus, a, s).arraySync();
    for (let i = 0; i < n; i++) {
      const fd = (lp[i] - lm[i]) / (2 * h);
      // Central difference: truncation h^2/6 |f'''| ~ 1e-4, float32 rounding |logp| 6e-8 / (2h) ~ 3e-5.
      assert.ok(Math.abs(fd - sc[i][p]) < 2e-3 * (1 + Math.abs(sc[i][p])), `row ${i} coord ${p}: fd ${fd} vs score ${sc[i][p]}`);
    }
    tf.dispose([plus, minus]);
  }
  tf.dispose([a, s, x]);
});

test("the noised 1-D mixture density integrates to 1 (trapezoid quadrature)", () => {
  const g = new GaussianMixture({ weights: [0.2, 0.5, 0.3], means: [[-3], [0.5], [4]], covs: [0.3, 1, 0.05] });
  for (const [a, s] of [[1, 0], [0.5, 0.7], [2, 0.1]]) {
    const N = 8001, lo = -25, hi = 25, dx = (hi - lo) / (N - 1);
    const grid = tf.tensor2d(Array.from({ length: N }, (_, i) => lo + i * dx), [N, 1]);
    const lp = g.logDensity(grid, a, s);
    const dens = Array.from(lp.dataSync(), Math.exp);
    let total = 0;
    for (let i = 0; i < N; i++) total += (i === 0 || i === N - 1 ? 0.5 : 1) * dens[i] * dx;
    // The narrowest law has std sqrt(4*0.05+0.01) = 0.46, about 74 grid steps: the trapezoid error is far
    // below float32 rounding of the summed densities (~1e-6); tails beyond +-25 are < 1e-30.
    assert.ok(Math.abs(total - 1) < 1e-4, `integral ${total} for a=${a}, s=${s}`);
    tf.dispose([grid, lp]);
  }
});

test("samples have the mixture's mean and covariance, labels follow the weights", () => {
  const g = new GaussianMixture({ weights: [0.25, 0.75], means: [[-2, 1], [1, 0]], covs: [[[1, 0.5], [0.5, 1]], 0.5] });
  const n = 40000;
  const { x, labels } = g.sampleWithLabels(n, new Rng(9));
  assert.deepEqual(x.shape, [n, 2]);
  const d = x.dataSync();
  const m = g.mean(), C = g.covariance();
  // mean 0.25*[-2,1] + 0.75*[1,0]; covariance by the law of total covariance, computed by hand.
  assert.deepEqual(m, [0.25, 0.25]);
  const want = [[0.25 * 1 + 0.75 * 0.5 + 0.25 * 0.75 * 9, 0.25 * 0.5 + 0.25 * 0.75 * -3], [0, 0.25 * 1 + 0.75 * 0.5 + 0.25 * 0.75 * 1]];
  want[1][0] = want[0][1];
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) assert.ok(Math.abs(C[a][b] - want[a][b]) < 1e-12);
  const em = [0, 0], ec = [[0, 0], [0, 0]];
  for (let i = 0; i < n; i++) { em[0] += d[2 * i] / n; em[1] += d[2 * i + 1] / n; }
  for (let i = 0; i < n; i++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) ec[a][b] += (d[2 * i + a] - em[a]) * (d[2 * i + b] - em[b]) / n;
  for (let a = 0; a < 2; a++) {
    // Standard error of a mean: sqrt(C_aa / n) ~ 0.009; of a covariance entry about sqrt(2) C / sqrt(n) ~ 0.02.
    // Five standard errors each.
    assert.ok(Math.abs(em[a] - m[a]) < 5 * Math.sqrt(C[a][a] / n), `mean ${a}: ${em[a]}`);
    for (let b = 0; b < 2; b++) assert.ok(Math.abs(ec[a][b] - C[a][b]) < 5 * Math.sqrt(2) * Math.sqrt(C[a][a] * C[b][b]) / Math.sqrt(n), `cov ${a}${b}: ${ec[a][b]}`);
  }
  const frac0 = labels.reduce((acc, l) => acc + (l === 0 ? 1 : 0), 0) / n;
  assert.ok(Math.abs(frac0 - 0.25) < 5 * Math.sqrt(0.25 * 0.75 / n), `label fraction ${frac0}`);
  const again = g.sample(n, new Rng(9));
  assert.deepEqual(Array.from(again.dataSync().slice(0, 50)), Array.from(d.slice(0, 50)), "same seed, same draws");
  tf.dispose([x, again]);
});

test("log density stays finite far from every component (stable log-sum-exp)", () => {
  const g = new GaussianMixture({ weights: [0.5, 0.5], means: [[0, 0], [1, 1]], covs: [1e-3, 1e-3] });
  const x = tf.tensor2d([[100, -100], [0.5, 0.5]]);
  const lp = g.logDensity(x).arraySync();
  const r = g.responsibilities(x).arraySync();
  const s = g.score(x).arraySync();
  assert.ok(lp.every(Number.isFinite) && r.flat().every(Number.isFinite) && s.flat().every(Number.isFinite));
  // Midway between the components both are equally likely and the score cancels.
  assert.ok(Math.abs(r[1][0] - 0.5) < 1e-5 && Math.abs(s[1][0]) < 1e-2);
  // [100,-100]: component 0 is closer by (101^2+99^2 - 2*100^2)/2/1e-3 = 1e3 nats: responsibility 1.
  assert.equal(r[0][0], 1);
  x.dispose();
});

test("bad specs and arguments throw errors naming the argument", () => {
  assert.throws(() => new GaussianMixture({ weights: [0.5, 0.6], means: [[0], [1]] }), /GaussianMixture: argument 'spec.weights' must sum to 1/);
  assert.throws(() => new GaussianMixture({ weights: [1.5, -0.5], means: [[0], [1]] }), /spec.weights\[1\]' must be a finite number >= 0/);
  assert.throws(() => new GaussianMixture({ weights: [0.5, 0.5], means: [[0, 0], [1]] }), /spec.means\[1\]' must have length 2/);
  assert.throws(() => new GaussianMixture({ weights: [1], means: [[0], [1]] }), /spec.means' must be an array of 1/);
  assert.throws(() => singleGaussian([0, 0], [[1, 0.5], [0.4, 1]]), /spec.covs\[0\]' must be symmetric/);
  assert.throws(() => singleGaussian([0, 0], [[1, 2], [2, 1]]), /spec.covs\[0\]' must be positive definite/);
  assert.throws(() => singleGaussian([0, 0], [[1, 0], [0, 1], [0, 0]]), /must be a number \(isotropic variance\) or a 2x2 matrix/);
  assert.throws(() => singleGaussian([0, 0], 0), /isotropic variance must be a finite number > 0/);
  const g = singleGaussian([0, 0], 1);
  const x = tf.zeros([3, 2]) as tf.Tensor2D;
  const bad = tf.zeros([3, 3]) as tf.Tensor2D;
  assert.throws(() => g.score(bad), /GaussianMixture.score: argument 'x' must have shape \[n, 2\]/);
  assert.throws(() => g.logDensity(x, 1, -0.1), /GaussianMixture.logDensity: argument 'std' must be >= 0/);
  const wrong = tf.ones([4]);
  assert.throws(() => g.responsibilities(x, wrong), /argument 'scale' must be a number or a tensor of shape \[3\] or \[3, 1\]/);
  assert.throws(() => g.score(x, 0, 0), /argument 'std' must be > 0 when scale is 0/);
  assert.throws(() => g.sample(-1, new Rng(0)), /GaussianMixture.sample: argument 'n' must be >= 0/);
  tf.dispose([x, bad, wrong]);
});

test("no tensors leak across repeated calls", () => {
  const g = new GaussianMixture({ weights: [0.5, 0.5], means: [[0, 0], [3, 3]], covs: [1, [[1, 0.2], [0.2, 1]]] });
  const x = g.sample(64, new Rng(1));
  const t = tf.fill([64], 0.5);
  const run = () => tf.dispose([g.score(x, t, t), g.logDensity(x, 0.5, t), g.responsibilities(x), g.sample(8, new Rng(2))]);
  run();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) run();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, t]);
});
