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
