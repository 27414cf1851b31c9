/**
 * The SD flow between Gaussians in closed form. Weber (2023, Sec. 2) moves particles along
 * dx/dtau = grad log p(x) - grad log q_tau(x). For p = N(m_p, S_p) and q_tau = N(m, S) both scores are affine,
 * grad log p(x) = -P (x - m_p) with P = S_p^-1 and grad log q(x) = -S^-1 (x - m), so q_tau stays Gaussian, and with
 * y = x - m:
 *   dm/dtau = -P (m - m_p),   dy/dtau = (S^-1 - P) y,   dS/dtau = 2 I - (P S + S P)
 * (S^-1 commutes with S). Both are linear with constant coefficients; their solutions are
 *   m(tau) = m_p + E (m_0 - m_p),   S(tau) = S_p + E (S_0 - S_p) E,   E = exp(-tau P),
 * (check: dS/dtau = -P (S - S_p) - (S - S_p) P = 2 I - P S - S P since P S_p = I). In 1-D this is the paper's
 * example, dm/dtau = -(m - m_p)/s_p^2 and ds/dtau = 1/s - s/s_p^2 (PAPERS.md, thread 4), and
 * KL(q_tau || p) -> 0 at rate exp(-2 tau / lambda_max(S_p)). This is the flow of the unsmoothed laws (sigma = 0);
 * with noise proxies at sigma > 0 the covariance equation is no longer linear.
 */
import { checkNumber, fail } from "../tensor";
import { readGaussian, type GaussianSpec } from "../bounds/gaussian";
import { inverseSPD, symmetricEigen, matMul, matVec, type Mat } from "../linalg";

/** exp(-tau A) of a symmetric positive definite A, through its eigendecomposition. */
function expNeg(a: Mat, tau: number): Mat {
  const { values, vectors } = symmetricEigen(a);
  const d = a.length;
  const e = values.map((l) => Math.exp(-tau * l));
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += vectors[i][k] * e[k] * vectors[j][k];
    return s;
  }));
}

/** A Gaussian whose covariance may also be a scalar variance or a diagonal (as readGaussian reads it). */
export interface GaussianInput { mean: number[]; cov: number | number[] | number[][] }

/**
 * The law q_tau of the exact SD flow from source N(m_0, S_0) toward target N(m_p, S_p) at flow time tau.
 * @example gaussianSDFlowAt({ mean: [0], cov: 4 }, { mean: [2], cov: 1 }, 1) // mean [2 - 2/e], cov [[1 + 3/e^2]]
 */
export function gaussianSDFlowAt(source: GaussianInput, target: GaussianInput, tau: number): GaussianSpec {
  const fn = "gaussianSDFlowAt";
  const q = readGaussian(source, fn, "source");
  const p = readGaussian(target, fn, "target");
  const d = p.mean.length;
  if (q.mean.length !== d) fail(fn, "source", `must have dimension ${d} like target, got ${q.mean.length}`);
  checkNumber(tau, "tau", fn, { min: 0 });
  const E = expNeg(inverseSPD(p.cov), tau);
  const dm = matVec(E, q.mean.map((v, i) => v - p.mean[i]));
  const dS = matMul(matMul(E, q.cov.map((r, i) => r.map((v, j) => v - p.cov[i][j]))), E);
  return { mean: p.mean.map((v, i) => v + dm[i]), cov: p.cov.map((r, i) => r.map((v, j) => v + 0.5 * (dS[i][j] + dS[j][i]))) };
}
