/**
 * The KL upper bound of Strasman, Ocello, Boyer, Le Corff, Lemaire (2024), "An analysis of the noise schedule for
 * score-based generative models", arXiv 2402.04650, as coded by the authors (PAPERS.md section 5):
 *   KL(p_data || p_gen) <= E1 + E2 + E3,
 *   E1 = KL(p_data || pi_inf) exp(-B(T) / s_inf^2)                               (forward not reaching the prior)
 *   E2 = sum_k eps_k^2 (B(T - t_k) - B(T - t_{k+1}))                              (score approximation error)
 *   E3 = 2 h beta(T) max(h beta(T) / (4 s_inf^2), 1) I(p_data | pi_inf)           (discretisation)
 * for the forward dX = -beta(t)/(2 s_inf^2) X dt + sqrt(beta(t)) dB, pi_inf = N(0, s_inf^2 I), uniform step h = T/N.
 * For a Gaussian target the relative Fisher information is I = (tr S + |mu|^2)/s_inf^4 - 2d/s_inf^2 + tr S^-1.
 * The Wasserstein-2 bound of the paper (strong log-concavity, contraction terms) is not implemented: the digest
 * does not give its constants.
 */
import * as tf from "@tensorflow/tfjs";
import { fail, checkPositiveInt, checkNumber, checkTensor, checkRank, checkSteps } from "../tensor";
import { GaussianSpec, gaussianKL, readGaussian } from "./gaussian";
import { identity, inverseSPD, trace } from "../linalg";
import { ProcessOptions, linearProcess } from "./process";

export interface KLBoundOptions extends ProcessOptions {
  /** The data law: a Gaussian {mean, cov}, or samples [n, d] whose mean and covariance stand in for it. */
  target: GaussianSpec | { mean: number[]; cov: number | number[] } | tf.Tensor2D;
  steps: number;
  /** Score error eps_k (L2, per step from T down, or one value for all); default 0, the exact score. */
  scoreError?: number | number[];
}

export interface KLBound {
  total: number;
  e1: number;
  e2: number;
  e3: number;
  /** The constants the terms are built from. */
  klPrior: number;
  fisher: number;
  h: number;
  betaT: number;
  BT: number;
}

/**
 * Mean and (unbiased) covariance of samples [n, d], as a Gaussian spec (float64 accumulation).
 * @example gaussianFromSamples(tf.tensor2d([[0, 0], [2, 2], [0, 2], [2, 0]])) // mean [1, 1]
 */
export function gaussianFromSamples(x: tf.Tensor, fn = "gaussianFromSamples", arg = "samples"): GaussianSpec {
  checkTensor(x, arg, fn);
  checkRank(x, 2, arg, fn);
  const [n, d] = x.shape as [number, number];
  if (n <= d) fail(fn, arg, `needs more rows than columns to estimate a covariance, got shape [${n}, ${d}]`);
  const v = x.dataSync();
  const mean = new Array(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += v[i * d + j] / n;
  const cov = Array.from({ length: d }, () => new Array(d).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
    const dj = v[i * d + j] - mean[j];
    for (let k = j; k < d; k++) cov[j][k] += (dj * (v[i * d + k] - mean[k])) / (n - 1);
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) cov[j][k] = cov[k][j];
  if (mean.some((m) => !Number.isFinite(m))) fail(fn, arg, "contains NaN or Infinity");
  return { mean, cov };
}

/**
 * Relative Fisher information I(N(mu, S) | N(0, s^2 I)) = E |grad log p - grad log pi|^2.
 * @example gaussianFisher({ mean: [0], cov: [[1]] }, 1) // 0
 */
export function gaussianFisher(t: GaussianSpec, sInf: number): number {
  const d = t.mean.length;
  const s2 = sInf * sInf;
  const mu2 = t.mean.reduce((s, m) => s + m * m, 0);
  return (trace(t.cov) + mu2) / (s2 * s2) - (2 * d) / s2 + trace(inverseSPD(t.cov));
}

/**
 * The E1 + E2 + E3 upper bound on KL(p_data || p_gen) for a schedule, horizon T, s_inf and N uniform steps.
 * Accepts `{schedule, sInf, T}` or a VP `{sde}` (s_inf = 1).
 * @example klBound({ schedule: linearSchedule(0.1, 20), target: { mean: [1, 1], cov: 0.5 }, steps: 100 }).total
 */
export function klBound(opts: KLBoundOptions): KLBound {
  const fn = "klBound";
  if (typeof opts !== "object" || opts === null) fail(fn, "opts", "must be an options object");
  // The bound's grid runs from T to 0, whatever tMin an SDE carries for its samplers.
  const p = linearProcess({ ...opts, tMin: opts.tMin ?? 0 }, fn);
  if (!p.schedule || p.sInf === undefined) fail(fn, "sde", "must be a VP SDE (the bound is stated for dX = -beta/(2 s_inf^2) X dt + sqrt(beta) dB)");
  if (p.tMin !== 0) fail(fn, "tMin", `must be 0 for this bound (reverse grid from T to 0), got ${p.tMin}`);
  const steps = checkSteps(opts.steps, "steps", fn);
  const target = opts.target instanceof tf.Tensor ? gaussianFromSamples(opts.target, fn, "target") : readGaussian(opts.target, fn, "target");
  const d = target.mean.length;
  const s = p.sInf, s2 = s * s, T = p.T, sch = p.schedule;
  const h = T / steps;
  const BT = sch.integral(T), betaT = sch.beta(T);
  const klPrior = gaussianKL(target, { mean: new Array(d).fill(0), cov: identity(d, s2) });
  const fisher = gaussianFisher(target, s);
  const e1 = klPrior * Math.exp(-BT / s2);
  let e2 = 0;
  const eps = opts.scoreError ?? 0;
  if (Array.isArray(eps)) {
    if (eps.length !== steps) fail(fn, "scoreError", `as an array must have one entry per step (${steps}), got ${eps.length}`);
    eps.forEach((e, k) => checkNumber(e, `scoreError[${k}]`, fn, { min: 0 }));
  } else checkNumber(eps, "scoreError", fn, { min: 0 });
  for (let k = 0; k < steps; k++) {
    const ek = Array.isArray(eps) ? eps[k] : eps;
    if (ek === 0) continue;
    e2 += ek * ek * (sch.integral(T - k * h) - sch.integral(Math.max(T - (k + 1) * h, 0)));
  }
  const e3 = 2 * h * betaT * Math.max((h * betaT) / (4 * s2), 1) * fisher;
  return { total: e1 + e2 + e3, e1, e2, e3, klPrior, fisher, h, betaT, BT };
}
