/** Distance to the k-th nearest reference row, for each query row, on top of the exact search in knn.ts. */
import * as tf from "@tensorflow/tfjs";
import { checkPositiveInt } from "../tensor";
import { checkSamplePair } from "./pairwise";
import { nearestNeighbours } from "./knn";

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
  // The exact search (knn.ts) re-checks candidate distances as sums of squared differences, so small distances next
  // to large norms stay accurate; the (k + skip)-th neighbour of each row is the one asked for.
  const kk = k + skip;
  const nn = nearestNeighbours(q, r, { k: kk, chunk: batch });
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = nn.distance[i * kk + kk - 1];
  return out;
}
