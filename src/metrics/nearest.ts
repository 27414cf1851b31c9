/** Nearest-neighbour distances from query rows to a reference set, in batches to bound memory. */
import * as tf from "@tensorflow/tfjs";
import { checkPositiveInt } from "../tensor";
import { checkSamplePair, pairwiseSqDist } from "./pairwise";

export interface NearestOptions {
  /** Query rows per batch (default 512): the distance block is batch x m. */
  batch?: number;
  /** Number of neighbours k (default 1); the result holds the k-th neighbour's distance. */
  k?: number;
  /** Skip zero-index self matches when query and reference are the same set (default false). */
  excludeSelf?: boolean;
}

/**
 * Euclidean distance from each row of `query` [n, d] to its k-th nearest row of `reference` [m, d].
 * @example nearestNeighbourDistances(samples, trainingSet) // Float32Array(n)
 */
export function nearestNeighbourDistances(query: tf.Tensor2D, reference: tf.Tensor2D, opts: NearestOptions = {}): Float32Array {
  const fn = "nearestNeighbourDistances";
  const [q, r] = checkSamplePair(query, reference, fn);
  const batch = checkPositiveInt(opts.batch ?? 512, "batch", fn);
  const k = checkPositiveInt(opts.k ?? 1, "k", fn);
  const skip = opts.excludeSelf ? 1 : 0;
  const n = q.shape[0], m = r.shape[0];
  if (k + skip > m) throw new Error(`${fn}: argument 'k' must be at most ${m - skip} (reference rows), got ${k}`);
  const out = new Float32Array(n);
  for (let s = 0; s < n; s += batch) {
    const e = Math.min(n, s + batch);
    const kth = tf.tidy(() => {
      const d2 = pairwiseSqDist(tf.slice(q, [s, 0], [e - s, -1]) as tf.Tensor2D, r);
      const vals = tf.neg(tf.topk(tf.neg(d2), k + skip).values);
      return tf.sqrt(tf.slice(vals, [0, k + skip - 1], [-1, 1]));
    });
    out.set(kth.dataSync(), s);
    kth.dispose();
  }
  return out;
}
