/**
 * The smallest trained score model that keeps the generated law exactly computable: affine in x per coordinate,
 * s_i(x, t) = -alpha_i(t) x_i + beta_i(t), with alpha_i and beta_i polynomials (shifted Legendre, degree `degree`) in
 * the marginal scale a(t) of the forward process, the noise level the model is conditioned on. The exact score of a
 * diagonal Gaussian target lies in this class up to the polynomial's approximation error (alpha = 1 / Sigma_t,
 * beta = a mu / Sigma_t are analytic in a on [0, 1]).
 *
 * It is fitted by denoising score matching (Song et al. 2021, eq. 7, weight lambda(t) = s(t)^2, t ~ U[0, T]) on a
 * finite training set with one fresh (t, eps) pair per point and pass: the DSM loss is quadratic in the coefficients,
 * so training to the minimum is one least-squares solve per coordinate. Its score error comes from the finite data
 * and the finite DSM noise, and is largest at small t, where the DSM target eps / s has the largest variance, as for
 * networks. The L2 error E_{p_t} |s_theta - grad log p_t|^2 has a closed form (affineScoreErrorSq), which is the
 * eps_k^2 of the bound of Strasman et al. (2024), arXiv 2402.04650.
 */
import { fail, checkNumber, type Rng } from "../tensor";
import { inverseSPD, matVec } from "../linalg";
import type { LinearProcess } from "./process";
import type { AffineScoreAt } from "./exact-kl";

export interface AffineScore {
  degree: number;
  /** alpha_i(t) = sum_j w[i][j] P_j(a(t)), beta_i(t) = sum_j u[i][j] P_j(a(t)). */
  w: number[][];
  u: number[][];
  /** The coefficients at time t of the process the model was fitted for. */
  at: AffineScoreAt;
}

export interface FitAffineScoreOptions {
  /** The forward process (bounds/process.ts) whose noising the model learns to undo. */
  process: LinearProcess;
  /** Training points, n rows of d coordinates. */
  data: number[][];
  /** Passes over the data, each with fresh t and noise (default 10). */
  passes?: number;
  /** Polynomial degree in a(t) (default 5). */
  degree?: number;
  rng: Rng;
}

/** Shifted Legendre polynomials P_0..P_degree on [0, 1] at a: well conditioned for the least squares below. */
export function shiftedLegendre(a: number, degree: number, out = new Array<number>(degree + 1)): number[] {
  const y = 2 * a - 1;
  out[0] = 1;
  if (degree > 0) out[1] = y;
  for (let k = 1; k < degree; k++) out[k + 1] = ((2 * k + 1) * y * out[k] - k * out[k - 1]) / (k + 1);
  return out;
}

/**
 * Fits the affine score by DSM in closed form: per coordinate i, minimises sum over draws of
 * |s(t) s_i(a x0_i + s eps_i, t) + eps_i|^2 (the lambda = s^2 weighted DSM loss) over (w_i, u_i).
 * @example const m = fitAffineScore({ process: linearProcess({ schedule }, "f"), data, rng: new Rng(0) }); m.at(0.5)
 */
export function fitAffineScore(opts: FitAffineScoreOptions): AffineScore {
  const fn = "fitAffineScore";
  if (typeof opts !== "object" || opts === null) fail(fn, "opts", "must be an options object { process, data, rng }");
  const p = opts.process;
  if (!p || typeof p.a !== "function" || typeof p.v !== "function") fail(fn, "opts.process", "must be a LinearProcess (bounds/process.ts linearProcess)");
  const data = opts.data;
  if (!Array.isArray(data) || data.length === 0 || !Array.isArray(data[0]) || data[0].length === 0) fail(fn, "opts.data", "must be a non-empty array of points (number[][])");
  const d = data[0].length;
  if (data.some((r) => !Array.isArray(r) || r.length !== d || r.some((v) => !Number.isFinite(v)))) fail(fn, "opts.data", `must hold rows of ${d} finite numbers`);
  const passes = checkNumber(opts.passes ?? 10, "opts.passes", fn, { integer: true, min: 1, max: 1e4 });
  const degree = checkNumber(opts.degree ?? 5, "opts.degree", fn, { integer: true, min: 0, max: 12 });
  const rng = opts.rng;
  if (!rng || typeof rng.next !== "function") fail(fn, "opts.rng", "must be an Rng");
  const K = degree + 1, KK = K * K;
  // Normal equations of z = [-s x phi ; s phi] against y = -eps: the s^2 phi phi^T block is shared by all
  // coordinates; the x- and x^2-weighted blocks and the right-hand sides are per coordinate.
  const G0 = new Float64Array(KK), G1 = new Float64Array(d * KK), G2 = new Float64Array(d * KK);
  const c1 = new Float64Array(d * K), c2 = new Float64Array(d * K);
  const phi = new Array<number>(K), P = new Float64Array(KK);
  const n = data.length, T = p.T;
  for (let pass = 0; pass < passes; pass++) {
    for (let j = 0; j < n; j++) {
      const t = T * rng.next();
      const a = p.a(t), s = Math.sqrt(p.v(t)), s2 = s * s;
      shiftedLegendre(a, degree, phi);
      for (let k = 0; k < K; k++) for (let l = k; l < K; l++) { const v = s2 * phi[k] * phi[l]; P[k * K + l] = v; G0[k * K + l] += v; }
      const x0 = data[j];
      for (let i = 0; i < d; i++) {
        const e = rng.nextNormal();
        const x = a * x0[i] + s * e, xx = x * x, se = s * e;
        const o = i * KK;
        for (let k = 0; k < K; k++) for (let l = k; l < K; l++) { const v = P[k * K + l]; G1[o + k * K + l] += x * v; G2[o + k * K + l] += xx * v; }
        for (let k = 0; k < K; k++) { c1[i * K + k] += se * x * phi[k]; c2[i * K + k] -= se * phi[k]; }
      }
    }
  }
  const w: number[][] = [], u: number[][] = [];
  for (let i = 0; i < d; i++) {
    const M: number[][] = Array.from({ length: 2 * K }, () => new Array(2 * K).fill(0));
    for (let k = 0; k < K; k++) for (let l = k; l < K; l++) {
      const g0 = G0[k * K + l], g1 = G1[i * KK + k * K + l], g2 = G2[i * KK + k * K + l];
      M[k][l] = M[l][k] = g2;
      M[K + k][K + l] = M[K + l][K + k] = g0;
      M[k][K + l] = M[K + l][k] = M[l][K + k] = M[K + k][l] = -g1;
    }
    // A relative ridge of 1e-12 of the diagonal only guards the solve against exact rank loss (a schedule whose
    // a(t) covers a narrow range); it is far below the sampling noise of the coefficients.
    const ridge = 1e-12 * M.reduce((acc, r, k) => acc + r[k], 0) / (2 * K);
    for (let k = 0; k < 2 * K; k++) M[k][k] += ridge;
    const rhs = [...Array.from(c1.subarray(i * K, (i + 1) * K)), ...Array.from(c2.subarray(i * K, (i + 1) * K))];
    const theta = matVec(inverseSPD(M), rhs);
    w.push(theta.slice(0, K));
    u.push(theta.slice(K));
  }
  const at: AffineScoreAt = (t) => {
    const ph = shiftedLegendre(p.a(t), degree);
    return {
      alpha: w.map((wi) => wi.reduce((acc, c, j) => acc + c * ph[j], 0)),
      beta: u.map((ui) => ui.reduce((acc, c, j) => acc + c * ph[j], 0)),
    };
  };
  return { degree, w, u, at };
}

/**
 * E_{x ~ p_t} |s_theta(x, t) - grad log p_t(x)|^2 for an affine score and a diagonal Gaussian target N(mu, diag var):
 * per coordinate x_i ~ N(a mu_i, Sigma_i), Sigma_i = a^2 var_i + v, the exact coefficients are 1 / Sigma_i and
 * a mu_i / Sigma_i, and with da, db the coefficient errors the error is (db - da a mu_i)^2 + da^2 Sigma_i.
 * @example affineScoreErrorSq(exactAffineScore(p, mu, v), p, mu, v, 0.5) // 0
 */
export function affineScoreErrorSq(score: AffineScoreAt, p: LinearProcess, mu: number[], variance: number[], t: number): number {
  const a = p.a(t), v = p.v(t);
  const { alpha, beta } = score(t);
  let e = 0;
  for (let i = 0; i < mu.length; i++) {
    const sig = a * a * variance[i] + v;
    const da = alpha[i] - 1 / sig, db = beta[i] - (a * mu[i]) / sig;
    const r = db - da * a * mu[i];
    e += r * r + da * da * sig;
  }
  return e;
}

/** The exact score of N(mu, diag variance) diffused by `p`, as affine coefficients (the model's target). */
export function exactAffineScore(p: LinearProcess, mu: number[], variance: number[]): AffineScoreAt {
  return (t) => {
    const a = p.a(t), v = p.v(t);
    const sig = variance.map((l) => a * a * l + v);
    return { alpha: sig.map((s) => 1 / s), beta: sig.map((s, i) => (a * mu[i]) / s) };
  };
}
