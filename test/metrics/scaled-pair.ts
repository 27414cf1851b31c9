/** Two small samples and the same scaled by 1e30, shared by the float32-range tests of the metrics (not a test file). */
import * as tf from "@tensorflow/tfjs";

export function scaledPair(): { small: readonly [tf.Tensor2D, tf.Tensor2D]; big: tf.Tensor2D[] } {
  const small = [tf.tensor2d([[0, 1], [2, -1], [1, 1]]), tf.tensor2d([[1, 0], [3, 2]])] as const;
  return { small, big: small.map((t) => tf.mul(t, 1e30) as tf.Tensor2D) };
}
