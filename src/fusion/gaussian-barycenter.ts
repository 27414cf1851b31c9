/**
 * The KL barycenter of Gaussians, in closed form. argmin_q sum_k l_k KL(q || p_k) is the normalised geometric
 * mixture prod_k p_k^{l_k} (ScoreFusion, Liu et al. 2025, Sec. 3); for p_k = N(mu_k, S_k) the exponent is a
 * quadratic, so the barycenter is N(mu, S) with S^-1 = sum_k l_k S_k^-1 and mu = S sum_k l_k S_k^-1 mu_k.
 *
 * Caution (PAPERS.md section 1): sampling with sum_k l_k s_k(x, t) at every t gives this barycenter only when the
 * covariances are equal; otherwise the noised auxiliaries' barycenter is not the noised barycenter.
 */
import { fail } from "../tensor";
import { identity, solveLinear } from "../linalg";

export interface GaussianParams {
  mean: number[];
  cov: number[][];
}

const FN = "gaussianBarycenter";

/**
 * Closed-form KL barycenter of Gaussians N(mu_k, S_k) with simplex weights.
 * @example
 * gaussianBarycenter([{ mean: [0], cov: [[1]] }, { mean: [4], cov: [[1]] }], [0.25, 0.75]);  // {mean: [3], cov: [[1]]}
 */
export function gaussianBarycenter(gaussians: GaussianParams[], weights: number[]): GaussianParams {
  if (!Array.isArray(gaussians) || gaussians.length === 0) fail(FN, "gaussians", "must be a non-empty array of {mean, cov}");
  const k = gaussians.length;
  checkSimplexWeights(weights, k, FN, "weights");
  const d = gaussians[0]?.mean?.length;
  if (!Number.isInteger(d) || d < 1) fail(FN, "gaussians[0].mean", "must be a non-empty array of numbers");
  const precision = zeros(d);
  const shift = new Array(d).fill(0);
  gaussians.forEach((g, i) => {
    const name = `gaussians[${i}]`;
    if (!g || !Array.isArray(g.mean) || g.mean.length !== d || g.mean.some((v) => !Number.isFinite(v))) {
      fail(FN, `${name}.mean`, `must be an array of ${d} finite numbers`);
    }
    if (!Array.isArray(g.cov) || g.cov.length !== d || g.cov.some((r) => !Array.isArray(r) || r.length !== d || r.some((v) => !Number.isFinite(v)))) {
      fail(FN, `${name}.cov`, `must be a ${d}x${d} matrix of finite numbers`);
    }
    const inv = invert(g.cov);
    if (!inv) fail(FN, `${name}.cov`, "must be invertible (positive definite)");
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        precision[a][b] += weights[i] * inv[a][b];
        shift[a] += weights[i] * inv[a][b] * g.mean[b];
      }
    }
  });
  const cov = invert(precision);
  if (!cov) fail(FN, "gaussians", "give a singular weighted precision sum_k l_k S_k^-1");
  const mean = cov.map((row) => row.reduce((acc, v, b) => acc + v * shift[b], 0));
  return { mean, cov: symmetrise(cov) };
}

/** Throws unless `w` is an array of k finite numbers >= 0 summing to 1 within 1e-6. */
export function checkSimplexWeights(w: unknown, k: number, fn: string, name: string): number[] {
  if (!Array.isArray(w) || w.length !== k) fail(fn, name, `must be an array of ${k} weights (one per model), got ${Array.isArray(w) ? `length ${w.length}` : typeof w}`);
  (w as unknown[]).forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(fn, `${name}[${i}]`, `must be a finite number >= 0, got ${String(v)}`);
  });
  const s = (w as number[]).reduce((a, v) => a + v, 0);
  if (Math.abs(s - 1) > 1e-6) fail(fn, name, `must sum to 1 (weights on the simplex), got sum ${s}`);
  return w as number[];
}

function zeros(d: number): number[][] {
  return Array.from({ length: d }, () => new Array(d).fill(0));
}

function symmetrise(m: number[][]): number[][] {
  return m.map((row, a) => row.map((v, b) => (v + m[b][a]) / 2));
}

/** The inverse through solveLinear (partial pivoting, float64); null when singular. */
function invert(m: number[][]): number[][] | null {
  return solveLinear(m, identity(m.length), 1e-13);
}
