/**
 * The exact law of the generated sample for a Gaussian target N(mu, S) sampled with its exact score.
 *
 * The diffused target is p_t = N(a mu, a^2 S + v I) (PAPERS.md, closed forms), so every sampler step with the
 * exact score is affine in x plus Gaussian noise: x' = A_k x + c_k + noise. Starting from a Gaussian prior the
 * generated law stays Gaussian, and since every A_k is a function of S alone and the prior covariance is a
 * multiple of I, all covariances share S's eigenbasis. The recursion therefore runs per eigenvalue in O(d) per
 * step, exactly (float64), for any schedule and step count; KL and W2 (Bures) to the target follow in closed form.
 * This is the exact counterpart of the bound in Strasman et al. (2024), arXiv 2402.04650.
 */
import { fail, checkPositiveInt, checkSteps } from "../tensor";
import { GaussianSpec, readGaussian, diagGaussianKL, diagGaussianW2sq } from "./gaussian";
import { symmetricEigen } from "../linalg";
import { LinearProcess, ProcessOptions, linearProcess } from "./process";

export type ExactSampler = "euler" | "ei" | "heun";
export const EXACT_SAMPLERS: readonly ExactSampler[] = ["euler", "ei", "heun"];

export interface ExactGaussianOptions extends ProcessOptions {
  target: GaussianSpec | { mean: number[]; cov: number | number[] };
  steps: number;
  /** "euler": Euler–Maruyama of the reverse SDE; "ei": exponential integrator (score frozen over the step, the
   * linear part solved exactly); "heun": Heun's method on the probability-flow ODE. Default "euler". */
  sampler?: ExactSampler;
  /** Start from the stationary prior N(0, priorVar I) (default) or from the true forward marginal at T. */
  init?: "prior" | "marginal";
  /** Euler only: evaluate drift, diffusion and score at the start of each reverse step (t_k, the usual
   * left-point Euler–Maruyama; default) or at its end (t_{k+1}). */
  evalAt?: "start" | "end";
  /** Euler only: whether the last step adds its noise g^2 h. Default false, as lab.eulerMaruyama (and score_sde),
   * whose last step returns the step's mean; true is the textbook scheme with noise on every step. */
  lastStepNoise?: boolean;
}

export interface ExactGaussianResult {
  /** KL(target || generated): the direction the schedule bound controls. */
  kl: number;
  /** KL(generated || target). */
  klReverse: number;
  /** W2(generated, target), Bures formula. */
  w2: number;
  mean: number[];
  cov: number[][];
}

/** Per-eigen-coordinate form used by sweeps: the target as (mu in S's eigenbasis, eigenvalues of S). */
export interface EigenTarget { mu: number[]; lambda: number[]; vectors: number[][] }

export function eigenTarget(t: GaussianSpec): EigenTarget {
  const { values, vectors } = symmetricEigen(t.cov);
  const d = t.mean.length;
  const mu = Array.from({ length: d }, (_, j) => t.mean.reduce((s, m, i) => s + vectors[i][j] * m, 0));
  return { mu, lambda: values, vectors };
}

/** int_lo^hi g2(u) / a(u) du by composite Simpson (the integrand is smooth on every schedule here). */
function scoreWeight(p: LinearProcess, lo: number, hi: number): number {
  const n = 32;
  const w = (hi - lo) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const u = lo + i * w;
    const c = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    s += c * p.g2(u) / p.a(u);
  }
  return (s * w) / 3;
}

/**
 * A score that is affine in x per eigen-coordinate of the target, score_i(y, t) = -alpha_i(t) y_i + beta_i(t): the
 * class of the exact score of a Gaussian target, and of models fitted to it (affine-score.ts). With such a score the
 * generated law stays Gaussian, so its exact KL is still computable.
 */
export type AffineScoreAt = (t: number) => { alpha: number[]; beta: number[] };

export interface RecursionOptions {
  steps: number;
  sampler: ExactSampler;
  init?: "prior" | "marginal";
  evalAt?: "start" | "end";
  lastStepNoise?: boolean;
  /** The score the sampler uses (euler and ei only); default the exact score of the diffused target. */
  score?: AffineScoreAt;
}

/**
 * Runs the mean/variance recursion per eigen-coordinate; returns the generated law's mean and variances in S's
 * eigenbasis. Exposed for sweeps that reuse one eigendecomposition.
 */
export function exactRecursion(p: LinearProcess, tg: EigenTarget, o: RecursionOptions): { m: number[]; c: number[] } {
  const { steps, sampler, init = "prior", evalAt = "start", lastStepNoise = false, score } = o;
  if (score && sampler === "heun") fail("exactRecursion", "score", "is supported for the euler and ei samplers only (Heun evaluates the score twice per step)");
  const d = tg.mu.length;
  const aT = p.a(p.T), vT = p.v(p.T);
  const m = init === "prior" ? new Array(d).fill(0) : tg.mu.map((x) => aT * x);
  const c = init === "prior" ? new Array(d).fill(p.priorVar) : tg.lambda.map((l) => aT * aT * l + vT);
  const h = (p.T - p.tMin) / steps;
  for (let k = 0; k < steps; k++) {
    const hi = p.T - k * h;
    const lo = k === steps - 1 ? p.tMin : p.T - (k + 1) * h;
    let aHi = p.a(hi), vHi = p.v(hi);
    let A0 = 0, K = 0, noise = 0;
    let heun: { f: number; g2: number; a: number; v: number; fl: number; g2l: number; al: number; vl: number } | undefined;
    // The time the step evaluates its score at: the start of the reverse step, or its end (Euler with evalAt "end").
    let te = hi;
    if (sampler === "euler") {
      te = evalAt === "end" ? lo : hi;
      if (te !== hi) { aHi = p.a(te); vHi = p.v(te); }
      const f = p.f(te), g2 = p.g2(te);
      A0 = 1 - h * f;
      K = h * g2;
      noise = k === steps - 1 && !lastStepNoise ? 0 : g2 * h;
    } else if (sampler === "ei") {
      const aLo = p.a(lo), vLo = p.v(lo);
      A0 = aLo / aHi;
      K = aLo * scoreWeight(p, lo, hi);
      noise = Math.max(aLo * aLo * (vHi / (aHi * aHi) - vLo / (aLo * aLo)), 0);
    } else {
      heun = { f: p.f(hi), g2: p.g2(hi), a: aHi, v: vHi, fl: p.f(lo), g2l: p.g2(lo), al: p.a(lo), vl: p.v(lo) };
    }
    const learned = score ? score(te) : undefined;
    for (let i = 0; i < d; i++) {
      const mu = tg.mu[i], lam = tg.lambda[i];
      let A: number, cc: number;
      if (heun) {
        // Probability-flow drift in reverse time: D(y, t) = -f y - (g2/2)(y - a mu)/Sigma_t = M y + b.
        const sHi = heun.a * heun.a * lam + heun.v, sLo = heun.al * heun.al * lam + heun.vl;
        const M1 = -heun.f - heun.g2 / (2 * sHi), b1 = (heun.g2 * heun.a * mu) / (2 * sHi);
        const M2 = -heun.fl - heun.g2l / (2 * sLo), b2 = (heun.g2l * heun.al * mu) / (2 * sLo);
        A = 1 + (h / 2) * M1 + (h / 2) * M2 * (1 + h * M1);
        cc = (h / 2) * b1 + (h / 2) * (M2 * h * b1 + b2);
      } else if (learned) {
        A = A0 - K * learned.alpha[i];
        cc = K * learned.beta[i];
      } else {
        // score(y, t) = -(y - a(t) mu) / Sigma_t, t the step's evaluation time.
        const sig = aHi * aHi * lam + vHi;
        A = A0 - K / sig;
        cc = (K * aHi * mu) / sig;
      }
      m[i] = A * m[i] + cc;
      c[i] = A * A * c[i] + noise;
    }
  }
  return { m, c };
}

/**
 * Exact KL (both directions) and W2 between the law of the generated sample and a Gaussian target, for a sampler
 * run with the exact score of the diffused target over `steps` uniform steps from T down to tMin.
 * @example
 * const r = exactGaussianKL({ schedule: linearSchedule(0.1, 20), target: { mean: [1, 1], cov: 0.5 }, steps: 100 });
 * r.kl // KL(target || generated)
 */
export function exactGaussianKL(opts: ExactGaussianOptions): ExactGaussianResult {
  const fn = "exactGaussianKL";
  if (typeof opts !== "object" || opts === null) fail(fn, "opts", "must be an options object");
  const p = linearProcess(opts, fn);
  const target = readGaussian(opts.target, fn, "target");
  const steps = checkSteps(opts.steps, "steps", fn);
  const sampler = opts.sampler ?? "euler";
  if (!EXACT_SAMPLERS.includes(sampler)) fail(fn, "sampler", `must be one of ${EXACT_SAMPLERS.join(", ")}, got ${String(sampler)}`);
  const init = opts.init ?? "prior";
  if (init !== "prior" && init !== "marginal") fail(fn, "init", `must be "prior" or "marginal", got ${String(init)}`);
  const evalAt = opts.evalAt ?? "start";
  if (evalAt !== "start" && evalAt !== "end") fail(fn, "evalAt", `must be "start" or "end", got ${String(evalAt)}`);
  const lastStepNoise = opts.lastStepNoise ?? false;
  if (typeof lastStepNoise !== "boolean") fail(fn, "lastStepNoise", `must be true or false, got ${String(lastStepNoise)}`);
  const tg = eigenTarget(target);
  const { m, c } = exactRecursion(p, tg, { steps, sampler, init, evalAt, lastStepNoise });
  if (m.some((x) => !Number.isFinite(x)) || c.some((x) => !Number.isFinite(x) || x <= 0)) {
    fail(fn, "steps", `gives an unstable recursion (non-finite or non-positive variance) with ${steps} steps; use more steps`);
  }
  const V = tg.vectors;
  const d = m.length;
  const mean = Array.from({ length: d }, (_, i) => V[i].reduce((s, v, j) => s + v * m[j], 0));
  const cov = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => V[i].reduce((s, v, k) => s + v * c[k] * V[j][k], 0)));
  return {
    kl: diagGaussianKL(tg.mu, tg.lambda, m, c),
    klReverse: diagGaussianKL(m, c, tg.mu, tg.lambda),
    w2: Math.sqrt(diagGaussianW2sq(m, c, tg.mu, tg.lambda)),
    mean,
    cov,
  };
}
