/**
 * The denoising score matching loss (Vincent 2011; Song et al. 2021, eq. 7):
 *   E_t E_x0 E_eps [ lambda(t) || s_theta(a x0 + s eps, t) + eps / s ||^2 ],  t ~ U[tMin, T].
 * With the eps parameterisation s_theta = -eps_hat / s this is E[ (lambda / s^2) || eps_hat - eps ||^2 ], so
 * lambda = s^2 (the default, "eps") is the plain noise-prediction loss of Ho et al. 2020 and lambda = g(t)^2
 * ("likelihood") is the likelihood weighting of Song et al. 2021 (Thm. 1).
 * The value is averaged over the batch and over coordinates (so it is 1 for eps_hat = 0 under "eps").
 */
import * as tf from "@tensorflow/tfjs";
import type { ScoreNet, WeightSet } from "./score-net";
import type { Labels } from "./labels";

export type LossWeighting = "eps" | "likelihood";

/**
 * The DSM loss of `model` on a batch x0 [n, ...] with times t [n] and noise eps (like x0), and the batch's labels
 * for a class-conditional model. A scalar tensor.
 * @example const loss = dsmLoss(model, x0, t, eps);
 */
export function dsmLoss(model: ScoreNet, x0: tf.Tensor, t: tf.Tensor, eps: tf.Tensor, weighting: LossWeighting = "eps", which: WeightSet = "raw", labels?: Labels): tf.Scalar {
  return tf.tidy(() => {
    const { scale, std } = model.sde.marginal(t);
    const row = [x0.shape[0], ...x0.shape.slice(1).map(() => 1)];
    const xt = tf.add(tf.mul(x0, tf.reshape(scale, row)), tf.mul(eps, tf.reshape(std, row)));
    const err = tf.square(tf.sub(model.epsilon(xt, t, which, labels), eps));
    if (weighting === "eps") return tf.mean(err) as tf.Scalar;
    const w = tf.div(tf.square(model.sde.diffusion(t)), tf.square(std));
    return tf.mean(tf.mul(err, tf.reshape(w, row))) as tf.Scalar;
  });
}
