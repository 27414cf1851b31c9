/** The denoiser D(x, t) = E[x_0 | x_t = x] that the EDM-style samplers step with, read off any score function. */
import * as tf from "@tensorflow/tfjs";
import type { SDE, ScoreFn } from "../sde/types";
import { scoreAt } from "./loop";

/**
 * Tweedie's formula for x_t = a x_0 + s eps: E[x_0 | x_t = x] = (x + s^2 grad log p_t(x)) / a (Efron 2011; Karras et
 * al. 2022, eq. 3 in the scaled frame). One score call; `fn` names the sampler in errors. Call inside tf.tidy.
 * @example const d = tf.tidy(() => denoiseAt(model.score, sde, x, 0.5, "mySampler"));
 */
export function denoiseAt(score: ScoreFn, sde: SDE, x: tf.Tensor, t: number, fn: string): tf.Tensor {
  const { scale: a, std: s } = sde.marginalAt(t);
  return tf.div(tf.add(x, tf.mul(scoreAt(score, x, t, fn), s * s)), a);
}
