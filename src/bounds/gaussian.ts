/**
 * Closed-form divergences between Gaussians N(m, C) in R^d (float64), used beside the schedule bounds.
 */
import { fail } from "../tensor";
import { Mat, cholesky, inverseSPD, logdetSPD, matMul, sqrtSym, trace } from "../linalg";

export interface GaussianSpec { mean: number[]; cov: number[][] }

/**
 * Validates a {mean, cov} object (cov may also be a scalar variance or a diagonal array) and returns it with a
 * full covariance matrix.
 * @example readGaussian({ mean: [1, 1], cov: 0.5 }, "klBound", "target") // cov [[0.5, 0], [0, 0.5]]
 */
export function readGaussian(g: unknown, fn: string, arg: string): GaussianSpec {
  if (typeof g !== "object" || g === null) fail(fn, arg, "must be an object {mean: number[], cov: number | number[] | number[][]}");
  const { mean, cov } = g as { mean?: unknown; cov?: unknown };
  if (!Array.isArray(mean) || mean.length === 0 || mean.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
    fail(fn, `${arg}.mean`, "must be a non-empty array of finite numbers");
  }
  const d = (mean as number[]).length;
  let c: Mat;
  if (typeof cov === "number") {
    if (!(cov > 0) || !Number.isFinite(cov)) fail(fn, `${arg}.cov`, `as a scalar must be a finite variance > 0, got ${cov}`);
    c = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? cov : 0)));
  } else if (Array.isArray(cov) && cov.every((v) => typeof v === "number")) {
    if (cov.length !== d || cov.some((v) => !(v > 0) || !Number.isFinite(v))) fail(fn, `${arg}.cov`, `as a diagonal must hold ${d} finite variances > 0`);
    c = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? (cov as number[])[i] : 0)));
  } else if (Array.isArray(cov) && cov.length === d && cov.every((r) => Array.isArray(r) && r.length === d && r.every((v: unknown) => typeof v === "number" && Number.isFinite(v)))) {
    c = (cov as number[][]).map((r) => r.slice());
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) {
      if (Math.abs(c[i][j] - c[j][i]) > 1e-9 * (1 + Math.abs(c[i][j]))) fail(fn, `${arg}.cov`, "must be symmetric");
    }
    cholesky(c, fn, `${arg}.cov`);
  } else {
    fail(fn, `${arg}.cov`, `must be a variance > 0, ${d} variances, or a ${d}x${d} symmetric positive definite matrix`);
  }
  return { mean: (mean as number[]).slice(), cov: c };
}

/**
 * KL(N(m0, C0) || N(m1, C1)) = (tr(C1^-1 C0) + (m1-m0)^T C1^-1 (m1-m0) - d + log det C1 - log det C0) / 2.
 * @example gaussianKL({ mean: [0], cov: [[1]] }, { mean: [1], cov: [[1]] }) // 0.5
 */
export function gaussianKL(p: GaussianSpec, q: GaussianSpec): number {
  const d = p.mean.length;
  if (q.mean.length !== d) fail("gaussianKL", "q", `must have dimension ${d}, got ${q.mean.length}`);
  const q1 = inverseSPD(q.cov);
  const dm = q.mean.map((v, i) => v - p.mean[i]);
  let quad = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) quad += dm[i] * q1[i][j] * dm[j];
  const kl = 0.5 * (trace(matMul(q1, p.cov)) + quad - d + logdetSPD(q.cov) - logdetSPD(p.cov));
  return Math.max(kl, 0);
}

/**
 * Squared 2-Wasserstein distance between Gaussians (Bures): |m0 - m1|^2 + tr C0 + tr C1 - 2 tr (C1^1/2 C0 C1^1/2)^1/2.
 * @example gaussianW2sq({ mean: [0], cov: [[1]] }, { mean: [0], cov: [[4]] }) // 1
 */
export function gaussianW2sq(p: GaussianSpec, q: GaussianSpec): number {
  const d = p.mean.length;
  if (q.mean.length !== d) fail("gaussianW2sq", "q", `must have dimension ${d}, got ${q.mean.length}`);
  const r = sqrtSym(q.cov);
  const cross = trace(sqrtSym(matMul(matMul(r, p.cov), r)));
  const dm = p.mean.reduce((s, v, i) => s + (v - q.mean[i]) ** 2, 0);
  return Math.max(dm + trace(p.cov) + trace(q.cov) - 2 * cross, 0);
}

/** KL between Gaussians that share an eigenbasis, given coordinates in it (means) and the variances there. */
export function diagGaussianKL(m0: number[], v0: number[], m1: number[], v1: number[]): number {
  let kl = 0;
  for (let i = 0; i < m0.length; i++) kl += 0.5 * (v0[i] / v1[i] + (m1[i] - m0[i]) ** 2 / v1[i] - 1 + Math.log(v1[i] / v0[i]));
  return Math.max(kl, 0);
}

/** Squared W2 between Gaussians that share an eigenbasis (the Bures term is then per coordinate). */
export function diagGaussianW2sq(m0: number[], v0: number[], m1: number[], v1: number[]): number {
  let w = 0;
  for (let i = 0; i < m0.length; i++) w += (m0[i] - m1[i]) ** 2 + (Math.sqrt(v0[i]) - Math.sqrt(v1[i])) ** 2;
  return w;
}
