/**
 * Maximum mean discrepancy with a Gaussian (RBF) kernel (Gretton et al. 2012, JMLR, eq. 3 for the unbiased
 * U-statistic).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber } from "../tensor";
import { checkFiniteMetric, checkSamplePair, float32Scale, pairwiseSqDist } from "./pairwise";

export interface MMDOptions {
  /** Kernel bandwidth l in k(x, y) = exp(-|x - y|^2 / (2 l^2)); default: median pairwise distance of the pooled sample. */
  bandwidth?: number;
  /** Unbiased U-statistic (default) or the biased V-statistic (always >= 0). */
  unbiased?: boolean;
}

/**
 * Squared MMD between samples x [n, d] and y [m, d] with an RBF kernel. The unbiased estimate can be slightly
 * negative when the laws match.
 * @example mmd2(rng.normal([200, 2]), rng.normal([200, 2], 1)) // about 0.1
 */
export function mmd2(x: tf.Tensor2D, y: tf.Tensor2D, opts: MMDOptions = {}): number {
  const fn = "mmd2";
  const [x0, y0] = checkSamplePair(x, y, fn, 2);
  const unbiased = opts.unbiased ?? true;
  let bw = opts.bandwidth;
  if (bw !== undefined) checkNumber(bw, "bandwidth", fn, { gt: 0 });
  const n = x0.shape[0], m = y0.shape[0];
  // The Gaussian kernel depends on |x - y| / bandwidth only: work on x / s, y / s with bandwidth / s so squared
  // distances stay finite in float32 (the median heuristic scales along by itself).
  const s = float32Scale(x0, y0);
  if (bw !== undefined) bw /= s;
  const out = tf.tidy(() => {
    const [a, b] = s === 1 ? [x0, y0] : [tf.div(x0, s) as tf.Tensor2D, tf.div(y0, s) as tf.Tensor2D];
    const dxx = pairwiseSqDist(a, a), dyy = pairwiseSqDist(b, b), dxy = pairwiseSqDist(a, b);
    let l2: tf.Tensor;
    if (bw === undefined) {
      // Median heuristic on the cross distances (representative of the pooled sample, cheap to take).
      const flat = tf.reshape(dxy, [-1]);
      const k = Math.floor(flat.shape[0] / 2);
      const med = tf.topk(tf.neg(flat), k + 1).values.slice([k], [1]).neg();
      l2 = tf.maximum(med, 1e-12);
    } else l2 = tf.scalar(bw * bw);
    const kern = (d: tf.Tensor) => tf.exp(tf.div(tf.neg(d), tf.mul(2, l2)));
    const kxx = kern(dxx), kyy = kern(dyy), kxy = kern(dxy);
    if (unbiased) {
      // Diagonal terms are exp(0) = 1: removed from the within-sample sums.
      const sx = tf.div(tf.sub(tf.sum(kxx), n), n * (n - 1));
      const sy = tf.div(tf.sub(tf.sum(kyy), m), m * (m - 1));
      return tf.sub(tf.add(sx, sy), tf.mul(2, tf.mean(kxy)));
    }
    return tf.sub(tf.add(tf.mean(kxx), tf.mean(kyy)), tf.mul(2, tf.mean(kxy)));
  });
  const v = out.dataSync()[0];
  out.dispose();
  return checkFiniteMetric(v, fn);
}
