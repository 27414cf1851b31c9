/**
 * Kernel Inception Distance (Binkowski, Sutherland, Arbel, Gretton 2018, "Demystifying MMD GANs", Sec. 4): the
 * unbiased U-statistic estimate of the squared MMD (Gretton et al. 2012, eq. 3) with the polynomial kernel
 * k(x, y) = (gamma x.y + coef)^degree, default gamma = 1 / d, coef = 1, degree 3. Unlike FD its expectation is
 * the population value at any n, so it can be negative when the laws agree.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, checkNumber, fail } from "../tensor";
import { checkFiniteMetric, checkSamplePair } from "./pairwise";

export interface KIDOptions {
  /** Polynomial degree (default 3). */
  degree?: number;
  /** Scale of the inner product (default 1 / d). */
  gamma?: number;
  /** Additive constant (default 1). */
  coef?: number;
  /** Rows per subset; with it the estimate is the mean over `subsets` random subset pairs (Binkowski et al.: 1000). */
  subsetSize?: number;
  /** Number of subset pairs (default 10; needs subsetSize and rng). */
  subsets?: number;
  rng?: Rng;
}

export interface KIDResult {
  /** The unbiased MMD^2 estimate (mean over subsets). */
  value: number;
  /** Standard deviation over subsets (0 with one estimate on the full sets). */
  std: number;
  /** Rows of x and y used per estimate, and the number of estimates averaged. */
  n: number;
  m: number;
  subsets: number;
}

function unbiasedPolyMMD2(x: tf.Tensor2D, y: tf.Tensor2D, degree: number, gamma: number, coef: number): number {
  const n = x.shape[0], m = y.shape[0];
  const out = tf.tidy(() => {
    const k = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.pow(tf.add(tf.mul(tf.matMul(a, b, false, true), gamma), coef), degree);
    const diag = (a: tf.Tensor2D) => tf.sum(tf.pow(tf.add(tf.mul(tf.sum(tf.square(a), 1), gamma), coef), degree));
    // Within-sample sums without their diagonal (i = j) terms: the U-statistic.
    const sx = tf.div(tf.sub(tf.sum(k(x, x)), diag(x)), n * (n - 1));
    const sy = tf.div(tf.sub(tf.sum(k(y, y)), diag(y)), m * (m - 1));
    return tf.sub(tf.add(sx, sy), tf.mul(2, tf.mean(k(x, y))));
  });
  const v = out.dataSync()[0];
  out.dispose();
  return checkFiniteMetric(v, "kid");
}

/**
 * Unbiased KID between features x [n, d] and y [m, d] (Binkowski et al. 2018, eq. before Sec. 4.1 with the cubic
 * kernel). Its expectation is MMD^2 of the two laws: 0 when they agree.
 * @example kid(featsOfSamples, featsOfHeldOut).value // about 0 for the same law
 * @example kid(f1, f2, { subsetSize: 1000, subsets: 10, rng: new Rng(0) }) // mean and std over subsets
 */
export function kid(x: tf.Tensor2D, y: tf.Tensor2D, opts: KIDOptions = {}): KIDResult {
  const fn = "kid";
  const [a, b] = checkSamplePair(x, y, fn, 2);
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const d = a.shape[1];
  const degree = checkNumber(opts.degree ?? 3, "opts.degree", fn, { integer: true, min: 1 });
  const gamma = checkNumber(opts.gamma ?? 1 / d, "opts.gamma", fn, { gt: 0 });
  const coef = checkNumber(opts.coef ?? 1, "opts.coef", fn, { min: 0 });
  if (opts.subsetSize === undefined) {
    if (opts.subsets !== undefined) fail(fn, "opts.subsets", "needs opts.subsetSize");
    return { value: unbiasedPolyMMD2(a, b, degree, gamma, coef), std: 0, n: a.shape[0], m: b.shape[0], subsets: 1 };
  }
  const size = checkNumber(opts.subsetSize, "opts.subsetSize", fn, { integer: true, min: 2 });
  if (size > a.shape[0] || size > b.shape[0]) fail(fn, "opts.subsetSize", `must be at most the rows of x (${a.shape[0]}) and y (${b.shape[0]}), got ${size}`);
  const subsets = checkNumber(opts.subsets ?? 10, "opts.subsets", fn, { integer: true, min: 1 });
  if (!(opts.rng instanceof Rng)) fail(fn, "opts.rng", "must be an Rng when opts.subsetSize is given (subsets are drawn at random)");
  const vals: number[] = [];
  for (let s = 0; s < subsets; s++) {
    const ia = Array.from(opts.rng.permutation(a.shape[0]).subarray(0, size));
    const ib = Array.from(opts.rng.permutation(b.shape[0]).subarray(0, size));
    const [sa, sb] = [tf.gather(a, ia) as tf.Tensor2D, tf.gather(b, ib) as tf.Tensor2D];
    try { vals.push(unbiasedPolyMMD2(sa, sb, degree, gamma, coef)); } finally { sa.dispose(); sb.dispose(); }
  }
  const mean = vals.reduce((p, v) => p + v, 0) / subsets;
  const std = subsets > 1 ? Math.sqrt(vals.reduce((p, v) => p + (v - mean) ** 2, 0) / (subsets - 1)) : 0;
  return { value: mean, std, n: size, m: size, subsets };
}
