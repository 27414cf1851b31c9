/**
 * The test error of a refined model as a number: the refined law of Husain, De Bortoli, Nock (arXiv 2603.18817)
 * is q_r(x) = q(x) e^{v(x)} / Z with Z = E_q[e^v] and v = log(p/q) read off the discriminator, so where the base
 * density q and the data density p are known (a synthetic study) its KL to the data law is
 *   KL(p || q_r) = E_p[log p - log q - v] + log E_q[e^v],
 * estimated on held-out points x ~ p (never the discriminator's training data) and on the base pool y ~ q that the
 * refinement itself reweighted (refineGenerator's `pool` and `logRatio`), so the number is the error of the law a
 * user samples. The base model's KL(p || q) = E_p[log p - log q] is computed on the same held-out points (paired).
 */
import * as tf from "@tensorflow/tfjs";
import { checkTensor, fail } from "../tensor";
import type { LogRatioFn } from "./discriminator";
import { type DivergenceObjective, logRatioFromOutput } from "./train-discriminator";

/** A log density of rows: x [n, d] -> [n] (e.g. GaussianMixture.logDensity). */
export type LogDensityFn = (x: tf.Tensor2D) => tf.Tensor1D;

/** What a refinement leaves behind (a RefineResult fits): the ratio, how to read it, and its values on the pool. */
export interface RefinedLaw {
  /** The trained discriminator (or an exact ratio): v = logRatioFromOutput(discriminator.logit(x), objective). */
  discriminator: LogRatioFn;
  objective: DivergenceObjective;
  /** v on the base pool y ~ q that was reweighted: the weights e^v / Z of the refined law. */
  logRatio: ArrayLike<number>;
}

export interface RefinedKLInput {
  /** Held-out data x ~ p [n, d]. */
  test: tf.Tensor2D;
  logP: LogDensityFn;
  logQ: LogDensityFn;
  refined: RefinedLaw;
}

export interface RefinedKL {
  /** KL(p || q_r) in nats. */
  refined: number;
  /** KL(p || q) in nats on the same held-out points. */
  base: number;
  /** log Z = log E_q[e^v] on the pool. */
  logZ: number;
  /** Monte Carlo standard error of `refined`: the held-out term's and, by the delta method, log Z's (independent samples). */
  refinedSE: number;
  /** Monte Carlo standard error of `base` (the held-out points' spread of log p - log q). */
  baseSE: number;
}

/** Mean and sample variance (n - 1) in doubles. */
function moments(v: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  const mean = s / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i] - mean) ** 2;
  return { mean, variance: v.length > 1 ? ss / (v.length - 1) : 0 };
}

/**
 * Held-out KL of the density-ratio-refined model and of its base, with their Monte Carlo errors (Husain et al.,
 * arXiv 2603.18817: the refined law q (f*)'(T) / Z; for a classifier (f*)'(T) = e^v). log Z is a log-sum-exp over
 * the pool in doubles, so a saturated ratio does not overflow.
 * @example
 * const r = await refineGenerator(q, data, { rng });
 * const { refined, refinedSE, base } = refinedKL({ test, logP: (x) => p.logDensity(x), logQ: (x) => q.logDensity(x), refined: r });
 */
export function refinedKL(input: RefinedKLInput): RefinedKL {
  const fn = "refinedKL";
  if (!input || typeof input !== "object") fail(fn, "input", "must be { test, logP, logQ, refined }");
  const { test, logP, logQ, refined } = input;
  checkTensor(test, "input.test", fn);
  if (test.rank !== 2 || test.shape[0] < 1) fail(fn, "input.test", `must be a non-empty tensor [n, d], got shape [${test.shape}]`);
  if (typeof logP !== "function") fail(fn, "input.logP", "must be a function x [n, d] -> log p(x) [n]");
  if (typeof logQ !== "function") fail(fn, "input.logQ", "must be a function x [n, d] -> log q(x) [n]");
  if (!refined || typeof refined !== "object") fail(fn, "input.refined", "must be { discriminator, objective, logRatio } (a refineGenerator result)");
  const ratio = refined.discriminator;
  if (!ratio || typeof ratio.logit !== "function") fail(fn, "input.refined.discriminator", "must have logit(x) (a discriminator or exactLogRatio(null, p, q))");
  if (ratio.dim !== test.shape[1]) fail(fn, "input.refined.discriminator", `must take ${test.shape[1]}-dimensional rows, takes ${ratio.dim}`);
  const pool = refined.logRatio;
  if (!pool || typeof pool.length !== "number" || pool.length < 1) fail(fn, "input.refined.logRatio", "must be the non-empty log ratios of the reweighted pool");
  let vMax = -Infinity;
  for (let i = 0; i < pool.length; i++) {
    if (!Number.isFinite(pool[i])) fail(fn, "input.refined.logRatio", `must be finite, got ${pool[i]} at ${i}`);
    vMax = Math.max(vMax, pool[i]);
  }
  const gapT = tf.tidy(() => tf.sub(logP(test), logQ(test)));
  const vT = tf.tidy(() => logRatioFromOutput(ratio.logit(test), refined.objective));
  const gap = gapT.dataSync(), vTest = vT.dataSync();
  tf.dispose([gapT, vT]);
  const base = moments(gap);
  const heldOut = moments(Array.from(gap, (g, i) => g - vTest[i]));
  // e^(v - max) keeps every term in [0, 1]; log Z = max + log mean e^(v - max), and its delta-method error is
  // sd(e^v) / (sqrt(m) E[e^v]), which the shift leaves unchanged.
  const w = moments(Array.from(pool, (v) => Math.exp(v - vMax)));
  const logZ = vMax + Math.log(w.mean);
  const value = heldOut.mean + logZ;
  if (!Number.isFinite(value) || !Number.isFinite(base.mean)) fail(fn, "input", `gives a non-finite KL (base ${base.mean}, log Z ${logZ}): check logP, logQ and the ratio`);
  return {
    refined: value, base: base.mean, logZ,
    refinedSE: Math.sqrt(heldOut.variance / gap.length + w.variance / (pool.length * w.mean * w.mean)),
    baseSE: Math.sqrt(base.variance / gap.length),
  };
}
