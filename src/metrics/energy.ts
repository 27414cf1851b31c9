/** Energy distance (Székely & Rizzo 2013): 2 E|X - Y| - E|X - X'| - E|Y - Y'| (V-statistic, >= 0). */
import * as tf from "@tensorflow/tfjs";
import { checkFiniteMetric, checkSamplePair, float32Scale, pairwiseSqDist } from "./pairwise";

/**
 * Energy distance between samples x [n, d] and y [m, d].
 * @example energyDistance(tf.tensor2d([[0]]), tf.tensor2d([[1]])) // 2
 */
export function energyDistance(x: tf.Tensor2D, y: tf.Tensor2D): number {
  const [x0, y0] = checkSamplePair(x, y, "energyDistance");
  // The energy distance is homogeneous of degree 1: work on x / s, y / s (finite float32 distances) and scale back.
  const s = float32Scale(x0, y0);
  const out = tf.tidy(() => {
    const [a, b] = s === 1 ? [x0, y0] : [tf.div(x0, s) as tf.Tensor2D, tf.div(y0, s) as tf.Tensor2D];
    const dist = (p: tf.Tensor2D, q: tf.Tensor2D) => tf.mean(tf.sqrt(pairwiseSqDist(p, q)));
    return tf.sub(tf.mul(2, dist(a, b)), tf.add(dist(a, a), dist(b, b)));
  });
  const v = out.dataSync()[0];
  out.dispose();
  return checkFiniteMetric(Math.max(v, 0) * s, "energyDistance");
}
