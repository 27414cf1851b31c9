/**
 * The denoising score matching loss (Vincent 2011; Song et al. 2021, eq. 7):
 *   E_t E_x0 E_eps [ lambda(t) || s_theta(a x0 + s eps, t) + eps / s ||^2 ],
 * computed in the network's own output space (parameterisation.ts): s_theta - s* = gain(t) (F - F*), so the loss is
 * E[ lambda(t) gain(t)^2 || F - F* ||^2 ]. The weightings:
 *   "param":      unit weight on ||F - F*||^2, each parameterisation's own loss (the default);
 *   "eps":        lambda = s^2, the noise-prediction loss of Ho et al. 2020 (equal to "param" for eps);
 *   "likelihood": lambda = g(t)^2, the likelihood weighting of Song et al. 2021 (Thm. 1);
 *   "edm":        EDM's lambda(sigma) = (sigma^2 + sd^2) / (sigma sd)^2 on ||D - x0||^2 (Karras et al. 2022, Table 1),
 *                 equal to "param" for the edm parameterisation.
 * The value is averaged over the batch and over coordinates (so it is 1 for eps_hat = 0 under "eps").
 */
import * as tf from "@tensorflow/tfjs";
import type { ScoreNet, WeightSet } from "./score-net";
import type { Labels } from "./labels";
import { dsmPerturb, dsmSquaredError } from "../tensor/dsm-loss";
import { checkTensor } from "../tensor";
import { checkMarginal, type Marginal } from "./parameterisation";

export const LOSS_WEIGHTINGS = ["param", "eps", "likelihood", "edm"] as const;
export type LossWeighting = (typeof LOSS_WEIGHTINGS)[number];

/**
 * The DSM loss of `model` on a batch x0 [n, ...] with times t [n] and noise eps (like x0), and the batch's labels
 * for a class-conditional model. A scalar tensor. One marginal of the SDE at t serves the perturbation, the
 * preconditioning and the network: `marginal` (model.sde.marginal(t)) when the caller has it — trainScore computes it
 * with the batch, off the gradient tape — or computed here.
 * @example const loss = dsmLoss(model, x0, t, eps);
 */
export function dsmLoss(model: ScoreNet, x0: tf.Tensor, t: tf.Tensor, eps: tf.Tensor, weighting: LossWeighting = "param", which: WeightSet = "raw", labels?: Labels, marginal?: Marginal): tf.Scalar {
  return tf.tidy(() => {
    const m = marginal ? checkMarginal(marginal, checkTensor(t, "t", "dsmLoss"), "dsmLoss") : model.sde.marginal(t);
    const { scale, std } = m;
    const row = [x0.shape[0], ...x0.shape.slice(1).map(() => 1)];
    // One torch kernel each way for the perturbation and the squared error (src/tensor/dsm-loss.ts), tfjs ops elsewhere.
    const xt = dsmPerturb(x0, eps, scale, std);
    const { F, p } = model.output(xt, t, which, labels, m);
    const target = p.target(x0, eps);
    const param = model.config.param;
    if (weighting === "param" || (weighting === "eps" && param === "eps") || (weighting === "edm" && param === "edm")) return dsmSquaredError(F, target);
    const sd = model.config.sigmaData;
    // lambda(t) in score space; EDM's weight on ||D - x0||^2 becomes lambda_D s^4 / a^2 there (score = (a D - x) / s^2).
    const lambda = weighting === "eps" ? tf.square(p.s)
      : weighting === "likelihood" ? tf.reshape(tf.square(model.sde.diffusion(t)), row)
      : tf.div(tf.mul(tf.square(p.r), tf.square(p.s)), tf.mul(tf.square(p.a), sd * sd));
    return dsmSquaredError(F, target, tf.mul(lambda, tf.square(p.gain)));
  });
}
