/**
 * The test error of a refined model as a number: the refined law of Husain, De Bortoli, Nock (arXiv 2603.18817)
 * is q_r(x) = q(x) e^{v(x)} / Z with Z = E_q[e^v] and v = log(p/q) read off the discriminator, so where the base
 * density q and the data density p are known (a synthetic study) its KL to the data law is
 *   KL(p || q_r) = E_p[log p - log q - v] + log E_q[e^v],
 * estimated on held-out points x ~ p (never the discriminator's training data) and fresh base draws y ~ q.
 * The base model's KL(p || q) = E_p[log p - log q] is computed on the same held-out points, so the two are paired.
 */
import * as tf from "@tensorflow/tfjs";
import { checkTensor, fail } from "../tensor";
import type { LogRatioFn } from "./discriminator";
import { logRatioFromOutput } from "./train-discriminator";

/** A log density of rows: x [n, d] -> [n] (e.g. GaussianMixture.logDensity). */
export type LogDensityFn = (x: tf.Tensor2D) => tf.Tensor1D;

export interface RefinedKLInput {
  /** Held-out data x ~ p [n, d]. */
  test: tf.Tensor2D;
  /** Fresh base draws y ~ q [m, d] for the normaliser Z = E_q[e^v]. */
  pool: tf.Tensor2D;
  logP: LogDensityFn;
  logQ: LogDensityFn;
  /** The log ratio v (an unconditioned discriminator's logit, clipped as in refinement). */
  ratio: LogRatioFn;
}

export interface RefinedKL {
  /** KL(p || q_r) in nats. */
  refined: number;
  /** KL(p || q) in nats on the same held-out points. */
  base: number;
  /** log Z = log E_q[e^v]. */
  logZ: number;
}

function meanOf(t: tf.Tensor): number {
  return tf.tidy(() => tf.mean(t).dataSync()[0]);
}

/**
 * Held-out KL of the density-ratio-refined model and of its base (Husain et al., arXiv 2603.18817: the refined law
 * q (f*)'(T) / Z with the classifier's ratio e^v). log Z uses a log-sum-exp, so a saturated ratio does not overflow.
 * @example
 * const { refined, base } = refinedKL({ test, pool, logP: (x) => p.logDensity(x), logQ: (x) => q.logDensity(x), ratio: disc });
 */
export function refinedKL(input: RefinedKLInput): RefinedKL {
  const fn = "refinedKL";
  if (!input || typeof input !== "object") fail(fn, "input", "must be { test, pool, logP, logQ, ratio }");
  const { test, pool, logP, logQ, ratio } = input;
  for (const [name, x] of [["test", test], ["pool", pool]] as const) {
    checkTensor(x, `input.${name}`, fn);
    if (x.rank !== 2 || x.shape[0] < 1) fail(fn, `input.${name}`, `must be a non-empty tensor [n, d], got shape [${x.shape}]`);
  }
  if (pool.shape[1] !== test.shape[1]) fail(fn, "input.pool", `must have ${test.shape[1]} columns like input.test, got ${pool.shape[1]}`);
  if (typeof logP !== "function") fail(fn, "input.logP", "must be a function x [n, d] -> log p(x) [n]");
  if (typeof logQ !== "function") fail(fn, "input.logQ", "must be a function x [n, d] -> log q(x) [n]");
  if (!ratio || typeof ratio.logit !== "function") fail(fn, "input.ratio", "must have logit(x) (a discriminator or exactLogRatio(null, p, q))");
  if (ratio.dim !== test.shape[1]) fail(fn, "input.ratio", `must take ${test.shape[1]}-dimensional rows, takes ${ratio.dim}`);
  const gap = tf.tidy(() => tf.sub(logP(test), logQ(test)));
  try {
    const base = meanOf(gap);
    const vTest = tf.tidy(() => logRatioFromOutput(ratio.logit(test), "bce"));
    const vPool = tf.tidy(() => logRatioFromOutput(ratio.logit(pool), "bce"));
    try {
      const logZ = tf.tidy(() => tf.sub(tf.logSumExp(vPool), Math.log(pool.shape[0])).dataSync()[0]);
      const refined = base - meanOf(vTest) + logZ;
      if (!Number.isFinite(refined)) fail(fn, "input", `gives a non-finite KL (base ${base}, log Z ${logZ}): check logP, logQ and the ratio`);
      return { refined, base, logZ };
    } finally { tf.dispose([vTest, vPool]); }
  } finally { gap.dispose(); }
}
