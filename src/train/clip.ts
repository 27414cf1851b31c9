/** Gradient clipping by global norm (Pascanu et al. 2013): g <- g min(1, maxNorm / ||g||), ||g|| over all tensors. */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, fail } from "../tensor";

/**
 * Returns the clipped gradients and the global norm before clipping (a scalar tensor). maxNorm = Infinity clips
 * nothing. The caller owns (and disposes) every returned tensor.
 * @example const { grads: g, norm } = clipByGlobalNorm(grads, 1);
 */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: tf.Scalar } {
  const fn = "clipByGlobalNorm";
  if (!Array.isArray(grads) || grads.length === 0 || grads.some((g) => !(g instanceof tf.Tensor))) fail(fn, "grads", "must be a non-empty array of tensors");
  if (maxNorm !== Infinity) checkNumber(maxNorm, "maxNorm", fn, { gt: 0 });
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    if (maxNorm === Infinity) return { grads: grads.map((g) => tf.clone(g)), norm };
    // 1e-6 keeps the factor finite for an all-zero gradient.
    const factor = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    return { grads: grads.map((g) => tf.mul(g, factor)), norm };
  });
}
