/**
 * Exact k-nearest-neighbour search of query rows against reference rows, batched on tensors.
 *
 * Distances come from |q|^2 - 2 q.r + |r|^2 with one matrix product per chunk of queries, which is fast but loses
 * precision in float32 when the distance is small next to the norms (at |q| ~ 1 a true distance of 1e-3 has a
 * squared value of 1e-6, the size of float32 rounding of |q|^2). So the product only proposes candidates (the
 * k + `extra` smallest), and their distances are recomputed as sums of squared differences, then sorted.
 */
import * as tf from "@tensorflow/tfjs";
import { checkTensor, checkRank, checkNumber, fail } from "../tensor";

export interface KnnOptions {
  /** How many neighbours per query (default 2: nearest and second nearest). */
  k?: number;
  /** Query rows per chunk; a chunk holds a [chunk, nRef] distance matrix (default: about 16M entries). */
  chunk?: number;
  /** Extra candidates re-checked exactly beyond k (default 6). */
  extra?: number;
}

/** k nearest reference rows of every query row. Row-major [m, k]: entry i*k + j is the (j+1)-th nearest. */
export interface Neighbours {
  m: number;
  k: number;
  /** Indices into the reference rows, [m * k]. */
  index: Int32Array;
  /** Euclidean distances, ascending within a row, [m * k]. */
  distance: Float64Array;
}

/**
 * The k nearest reference rows (Euclidean) of each query row, exact, chunked so that 10,000 x 10,000 fits in
 * memory. Rows of rank > 2 tensors are flattened.
 * @example const nn = nearestNeighbours(samples, train, { k: 2 }); const d1 = nn.distance[0], d2 = nn.distance[1];
 */
export function nearestNeighbours(queries: tf.Tensor, reference: tf.Tensor, opts: KnnOptions = {}): Neighbours {
  const fn = "nearestNeighbours";
  checkTensor(queries, "queries", fn); checkTensor(reference, "reference", fn);
  if (queries.rank < 2) fail(fn, "queries", `must have rank >= 2 ([m, d]), got shape [${queries.shape}]`);
  if (reference.rank < 2) fail(fn, "reference", `must have rank >= 2 ([n, d]), got shape [${reference.shape}]`);
  const m = queries.shape[0]; const n = reference.shape[0];
  const d = queries.size / Math.max(m, 1);
  if (reference.size / Math.max(n, 1) !== d) fail(fn, "reference", `must have rows of ${d} values like 'queries', got shape [${reference.shape}]`);
  if (n < 1) fail(fn, "reference", "must have at least one row");
  const k = checkNumber(opts.k ?? 2, "k", fn, { integer: true, min: 1, max: n });
  const extra = checkNumber(opts.extra ?? 6, "extra", fn, { integer: true, min: 0 });
  const chunk = checkNumber(opts.chunk ?? Math.max(1, Math.floor(16_000_000 / n)), "chunk", fn, { integer: true, min: 1 });
  const kc = Math.min(n, k + extra);
  const index = new Int32Array(m * k); const distance = new Float64Array(m * k);
  const ref = tf.tidy(() => reference.reshape([n, d]).toFloat());
  const refSq = tf.tidy(() => ref.square().sum(1));
  const qAll = tf.tidy(() => queries.reshape([m, d]).toFloat());
  try {
    for (let start = 0; start < m; start += chunk) {
      const c = Math.min(chunk, m - start);
      const [candIdx, candSq] = tf.tidy(() => {
        const q = qAll.slice([start, 0], [c, d]);
        // -|q - r|^2 up to the per-row constant |q|^2, which does not change the ranking within a row.
        const negApprox = tf.sub(tf.mul(2, tf.matMul(q, ref, false, true)), refSq.expandDims(0));
        const idx = tf.topk(negApprox, kc, false).indices; // [c, kc]
        const cand = tf.gather(ref, idx.reshape([-1])).reshape([c, kc, d]);
        const sq = tf.sub(cand, q.expandDims(1)).square().sum(2); // [c, kc], exact up to float32 of the differences
        return [idx, sq];
      });
      const ci = candIdx.dataSync() as Int32Array; const cs = candSq.dataSync() as Float32Array;
      tf.dispose([candIdx, candSq]);
      const order = new Array<number>(kc);
      for (let i = 0; i < c; i++) {
        for (let j = 0; j < kc; j++) order[j] = j;
        order.sort((a, b) => cs[i * kc + a] - cs[i * kc + b] || ci[i * kc + a] - ci[i * kc + b]);
        for (let j = 0; j < k; j++) {
          index[(start + i) * k + j] = ci[i * kc + order[j]];
          distance[(start + i) * k + j] = Math.sqrt(Math.max(0, cs[i * kc + order[j]]));
        }
      }
    }
  } finally {
    tf.dispose([ref, refSq, qAll]);
  }
  return { m, k, index, distance };
}
