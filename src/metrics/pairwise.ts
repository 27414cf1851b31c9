/**
 * Pairwise squared Euclidean distances between the rows of two matrices, the shared building block of the
 * kernel metrics and the nearest-neighbour search.
 */
import * as tf from "@tensorflow/tfjs";
import { checkTensor, checkRank, checkFiniteTensor, fail } from "../tensor";

/**
 * D[i, j] = |a_i - b_j|^2 for a [n, d], b [m, d], via |a|^2 + |b|^2 - 2 a b^T (clipped at 0 against rounding).
 * @example pairwiseSqDist(tf.tensor2d([[0, 0]]), tf.tensor2d([[3, 4]])) // [[25]]
 */
export function pairwiseSqDist(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const na = tf.sum(tf.square(a), 1, true);
    const nb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
    const ab = tf.matMul(a, tf.transpose(b));
    return tf.relu(tf.sub(tf.add(na, nb), tf.mul(2, ab))) as tf.Tensor2D;
  });
}

/** Validates a pair of sample matrices [n, d], [m, d] for a two-sample metric. */
export function checkSamplePair(x: unknown, y: unknown, fn: string, minRows = 1): [tf.Tensor2D, tf.Tensor2D] {
  for (const [v, name] of [[x, "x"], [y, "y"]] as const) {
    const t = checkTensor(v, name, fn);
    checkRank(t, 2, name, fn);
    if (t.shape[0] < minRows) fail(fn, name, `must have at least ${minRows} rows, got ${t.shape[0]}`);
    checkFiniteTensor(t, name, fn);
  }
  const a = x as tf.Tensor2D, b = y as tf.Tensor2D;
  if (a.shape[1] !== b.shape[1]) fail(fn, "y", `must have ${a.shape[1]} columns like x, got ${b.shape[1]}`);
  return [a, b];
}

/** Above this magnitude |a|^2 + |b|^2 - 2ab (summed over columns) can overflow float32 (3.4e38) to Infinity - Infinity. */
const SAFE_MAGNITUDE = 2 ** 50;

/**
 * A power of two s such that x / s and y / s have entries below 2^50 in magnitude (1 when they already do). Kernel
 * metrics divide by it so their squared distances stay finite in float32; dividing by a power of two is exact.
 * @example float32Scale(tf.tensor2d([[1e30]]), tf.tensor2d([[0]])) // 2^50
 */
export function float32Scale(x: tf.Tensor2D, y: tf.Tensor2D): number {
  if (x.size === 0 && y.size === 0) return 1;
  const t = tf.tidy(() => tf.maximum(x.size ? tf.max(tf.abs(x)) : 0, y.size ? tf.max(tf.abs(y)) : 0));
  const big = t.dataSync()[0];
  t.dispose();
  return big > SAFE_MAGNITUDE ? 2 ** Math.ceil(Math.log2(big / SAFE_MAGNITUDE)) : 1;
}

/** Throws rather than let a NaN or Infinity out of a metric (float32 distances overflowed). */
export function checkFiniteMetric(v: number, fn: string): number {
  if (!Number.isFinite(v)) fail(fn, "x", `and y give a non-finite result (${v}): inputs too large for float32 distances`);
  return v;
}
