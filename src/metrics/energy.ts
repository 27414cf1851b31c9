/** Energy distance (Székely & Rizzo 2013): 2 E|X - Y| - E|X - X'| - E|Y - Y'| (V-statistic, >= 0). */
import * as tf from "@tensorflow/tfjs";
import { checkSamplePair, pairwiseSqDist } from "./pairwise";

/**
 * Energy distance between samples x [n, d] and y [m, d].
 * @example energyDistance(tf.tensor2d([[0]]), tf.tensor2d([[1]])) // 2
 */
export function energyDistance(x: tf.Tensor2D, y: tf.Tensor2D): number {
  const [a, b] = checkSamplePair(x, y, "energyDistance");
  const out = tf.tidy(() => {
    const dist = (p: tf.Tensor2D, q: tf.Tensor2D) => tf.mean(tf.sqrt(pairwiseSqDist(p, q)));
    return tf.sub(tf.mul(2, dist(a, b)), tf.add(dist(a, a), dist(b, b)));
  });
  const v = out.dataSync()[0];
  out.dispose();
  return Math.max(v, 0);
}
