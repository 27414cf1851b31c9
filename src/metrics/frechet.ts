/**
 * The Frechet (2-Wasserstein) distance between Gaussians fitted to two feature sets (Dowson & Landau 1982;
 * as FID, Heusel et al. 2017, eq. 6): FD = |m1 - m2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)).
 * (S1 S2)^(1/2) is not symmetric; its trace equals tr((S1^(1/2) S2 S1^(1/2))^(1/2)), a symmetric PSD square
 * root, so the trace comes from one eigendecomposition in float64 (src/linalg/eigen.ts) and never goes complex.
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";
import { matMul, sqrtSym, symmetricEigen, trace, type Mat } from "../linalg";
import { checkSamplePair } from "./pairwise";

export interface GaussianStats { mean: number[]; cov: Mat; n: number }

/**
 * Sample mean and unbiased covariance (divisor n - 1) of the rows of x [n, d], in float64.
 * @example gaussianStats(tf.tensor2d([[0], [2]])) // { mean: [1], cov: [[2]], n: 2 }
 */
export function gaussianStats(x: tf.Tensor2D, fn = "gaussianStats"): GaussianStats {
  const n = x.shape[0], d = x.shape[1];
  if (n < 2) fail(fn, "x", `must have at least 2 rows for a covariance, got ${n}`);
  const v = x.dataSync();
  const mean = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += v[i * d + j] / n;
  const cov: Mat = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) c[j] = v[i * d + j] - mean[j];
    for (let j = 0; j < d; j++) { const cj = c[j]; if (cj !== 0) for (let k = j; k < d; k++) cov[j][k] += cj * c[k]; }
  }
  for (let j = 0; j < d; j++) for (let k = j; k < d; k++) { cov[j][k] /= n - 1; cov[k][j] = cov[j][k]; }
  return { mean, cov, n };
}

function checkGaussian(m: unknown, s: unknown, fn: string, mName: string, sName: string, d?: number): number {
  if (!Array.isArray(m) || m.length === 0 || m.some((v) => typeof v !== "number" || !Number.isFinite(v))) fail(fn, mName, "must be a non-empty array of finite numbers");
  const k = (m as number[]).length;
  if (d !== undefined && k !== d) fail(fn, mName, `must have ${d} entries like the first mean, got ${k}`);
  if (!Array.isArray(s) || s.length !== k || s.some((r) => !Array.isArray(r) || r.length !== k)) fail(fn, sName, `must be a ${k}x${k} matrix`);
  return k;
}

/**
 * Closed-form Frechet distance between N(m1, S1) and N(m2, S2) (the squared 2-Wasserstein distance; Dowson &
 * Landau 1982). Covariances must be symmetric positive semi-definite.
 * @example frechetGaussians([0], [[1]], [1], [[4]]) // 1 + 1 + 4 - 2 * 2 = 2
 */
export function frechetGaussians(m1: number[], s1: Mat, m2: number[], s2: Mat): number {
  const fn = "frechetGaussians";
  const d = checkGaussian(m1, s1, fn, "m1", "s1");
  checkGaussian(m2, s2, fn, "m2", "s2", d);
  const r1 = sqrtSym(s1);
  // Eigenvalues of the symmetric S1^(1/2) S2 S1^(1/2) are those of S1 S2; rounding can make tiny ones negative.
  const { values } = symmetricEigen(matMul(matMul(r1, s2), r1));
  const trCross = values.reduce((a, v) => a + Math.sqrt(Math.max(v, 0)), 0);
  let dm = 0;
  for (let j = 0; j < d; j++) dm += (m1[j] - m2[j]) ** 2;
  // The true value is >= 0; rounding of nearly equal laws can give -1e-15.
  return Math.max(dm + trace(s1) + trace(s2) - 2 * trCross, 0);
}

/**
 * Frechet distance between Gaussians fitted (mean, unbiased covariance) to features x [n, d] and y [m, d]. It is a
 * biased estimate of the population FD, by O(d / n): compare values only at the same n (the report says it).
 * @example frechetDistance(featsOfSamples, featsOfHeldOut) // 0 when both fitted Gaussians agree
 */
export function frechetDistance(x: tf.Tensor2D, y: tf.Tensor2D): number {
  const fn = "frechetDistance";
  const [a, b] = checkSamplePair(x, y, fn, 2);
  const p = gaussianStats(a, fn), q = gaussianStats(b, fn);
  return frechetGaussians(p.mean, p.cov, q.mean, q.cov);
}
