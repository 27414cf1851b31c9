/**
 * Logistic regression on quadratic features [1, x_i, x_i x_j (i <= j)], fitted by Newton's method (IRLS) in
 * double precision. For Gaussian data against a Gaussian model the diffused log ratio log p_t - log q_t is a
 * quadratic in x at every t (both p_t and q_t are Gaussian), so this model class is well specified: the
 * maximum-likelihood fit is consistent for the exact log ratio (the "exact case" of Husain, De Bortoli, Nock,
 * arXiv 2603.18817, and of discriminator guidance).
 */
import * as tf from "@tensorflow/tfjs";
import { checkFiniteTensor, checkNumber, checkTensor, fail } from "../tensor";
import { solveLinear } from "../linalg";
import type { LogRatioFn } from "./discriminator";

export interface QuadraticLogistic extends LogRatioFn {
  /** Coefficients on [1, x_0..x_{d-1}, x_i x_j for i <= j]. */
  coef: number[];
  /** Newton iterations run. */
  iterations: number;
}

function features(row: ArrayLike<number>, d: number): number[] {
  const f = [1];
  for (let i = 0; i < d; i++) f.push(row[i]);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) f.push(row[i] * row[j]);
  return f;
}


/**
 * Fits logit(x) = beta . phi(x) to tell `real` [n, d] (label 1) from `fake` [m, d] (label 0), classes weighted
 * equally (so the logit estimates log p - log q even when n != m). A tiny ridge (default 1e-8) keeps the Newton
 * system solvable for separable sets.
 * @example const r = quadraticLogistic(dataAtT, modelAtT); const v = r.logit(x);
 */
export function quadraticLogistic(real: tf.Tensor2D, fake: tf.Tensor2D, opts: { iterations?: number; ridge?: number; tol?: number } = {}): QuadraticLogistic {
  const fn = "quadraticLogistic";
  checkTensor(real, "real", fn); checkTensor(fake, "fake", fn);
  if (real.rank !== 2) fail(fn, "real", `must be [n, d], got shape [${real.shape}]`);
  const d = real.shape[1];
  if (fake.rank !== 2 || fake.shape[1] !== d) fail(fn, "fake", `must be [m, ${d}] like real, got shape [${fake.shape}]`);
  if (real.shape[0] < 2 || fake.shape[0] < 2) fail(fn, "real", "and fake must hold at least 2 rows each");
  checkFiniteTensor(real, "real", fn); checkFiniteTensor(fake, "fake", fn);
  const maxIt = checkNumber(opts.iterations ?? 50, "opts.iterations", fn, { integer: true, min: 1 });
  const ridge = checkNumber(opts.ridge ?? 1e-8, "opts.ridge", fn, { min: 0 });
  const tol = checkNumber(opts.tol ?? 1e-10, "opts.tol", fn, { gt: 0 });
  const rows: { f: number[]; y: number; w: number }[] = [];
  const add = (x: tf.Tensor2D, y: number) => {
    const v = x.dataSync(), n = x.shape[0];
    for (let i = 0; i < n; i++) rows.push({ f: features(v.subarray(i * d, (i + 1) * d), d), y, w: 1 / n });
  };
  add(real, 1); add(fake, 0);
  const p = rows[0].f.length;
  let beta = new Array(p).fill(0);
  let it = 0;
  for (; it < maxIt; it++) {
    const H = Array.from({ length: p }, () => new Array(p).fill(0));
    const g = new Array(p).fill(-0);
    for (const r of rows) {
      let z = 0;
      for (let k = 0; k < p; k++) z += beta[k] * r.f[k];
      const mu = 1 / (1 + Math.exp(-z));
      const s = r.w * mu * (1 - mu);
      for (let a = 0; a < p; a++) {
        g[a] += r.w * (r.y - mu) * r.f[a];
        for (let b = a; b < p; b++) H[a][b] += s * r.f[a] * r.f[b];
      }
    }
    for (let a = 0; a < p; a++) { H[a][a] += ridge; g[a] -= ridge * beta[a]; for (let b = 0; b < a; b++) H[a][b] = H[b][a]; }
    // Pivot tolerance 0: a singular system gives non-finite steps, which the check after the loop reports.
    const step = solveLinear(H, g.map((v) => [v]), 0)!.map((row) => row[0]);
    beta = beta.map((v, k) => v + step[k]);
    if (Math.max(...step.map(Math.abs)) < tol) { it++; break; }
  }
  if (beta.some((v) => !Number.isFinite(v))) fail(fn, "real", "and fake gave a non-finite fit (are the sets separable or degenerate?)");
  const coef = beta;
  return {
    dim: d,
    coef,
    iterations: it,
    logit(x: tf.Tensor): tf.Tensor1D {
      checkTensor(x, "x", "quadraticLogistic.logit");
      if (x.rank !== 2 || x.shape[1] !== d) fail("quadraticLogistic.logit", "x", `must have shape [n, ${d}], got [${x.shape}]`);
      return tf.tidy(() => {
        // Differentiable in x (so it can guide): the same features built from tensor ops.
        const cols: tf.Tensor[] = [tf.onesLike(tf.slice(x, [0, 0], [-1, 1]))];
        const xi = Array.from({ length: d }, (_, i) => tf.slice(x, [0, i], [-1, 1]));
        cols.push(...xi);
        for (let i = 0; i < d; i++) for (let j = i; j < d; j++) cols.push(tf.mul(xi[i], xi[j]));
        return tf.reshape(tf.matMul(tf.concat(cols, 1), tf.tensor2d(coef, [p, 1])), [-1]) as tf.Tensor1D;
      });
    },
  };
}
