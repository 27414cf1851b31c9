/** The empirical-optimal-score memorization setting shared by the heun and ddim tests (not a test file). */
import * as tf from "@tensorflow/tfjs";

export /** Distance from each sample to its nearest training point. */
function nearest(x: tf.Tensor, data: tf.Tensor): number[] {
  const xs = x.arraySync() as number[][], ys = data.arraySync() as number[][];
  return xs.map((p) => Math.min(...ys.map((q) => Math.hypot(p[0] - q[0], p[1] - q[1]))));
}
