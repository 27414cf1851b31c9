/**
 * The optimal discriminator of two known laws: for data p and model q, both Gaussian mixtures diffused by the
 * same SDE, the Bayes classifier with equal priors has logit v*(x, t) = log p_t(x) - log q_t(x) (Kim et al.,
 * ICML 2023, Thm. 1: d* = p_t / (p_t + q_t)). With it, guidance at w = 1 turns the model score into the data
 * score exactly: for tests and teaching.
 */
import * as tf from "@tensorflow/tfjs";
import { checkTensor, fail } from "../tensor";
import { GaussianMixture } from "../data/gmm";
import { isSDE } from "../sde/sde";
import type { SDE } from "../sde/types";
import type { LogRatioFn } from "./discriminator";

/**
 * Exact log ratio log p_t(x) - log q_t(x) of two mixtures under the SDE's marginals (time-conditioned), or of the
 * clean mixtures when `sde` is null (then t is ignored).
 * @example
 * const r = exactLogRatio(vpSDE(), data, model);
 * const guided = guidedScore(mixtureScore(sde, model).score, r, { w: 1 }); // = mixtureScore(sde, data).score
 */
export function exactLogRatio(sde: SDE | null, p: GaussianMixture, q: GaussianMixture): LogRatioFn {
  const fn = "exactLogRatio";
  if (sde !== null && !isSDE(sde)) fail(fn, "sde", "must be an SDE or null (clean densities)");
  if (!(p instanceof GaussianMixture)) fail(fn, "p", "must be a GaussianMixture (the data law)");
  if (!(q instanceof GaussianMixture)) fail(fn, "q", "must be a GaussianMixture (the model law)");
  if (p.dim !== q.dim) fail(fn, "q", `must have the dimension of p (${p.dim}), got ${q.dim}`);
  const dim = p.dim;
  return {
    dim,
    logit(x: tf.Tensor, t?: tf.Tensor): tf.Tensor1D {
      const f = "exactLogRatio.logit";
      checkTensor(x, "x", f);
      if (x.rank !== 2 || x.shape[1] !== dim) fail(f, "x", `must have shape [n, ${dim}], got [${x.shape}]`);
      if (sde === null) return tf.tidy(() => tf.sub(p.logDensity(x as tf.Tensor2D), q.logDensity(x as tf.Tensor2D)) as tf.Tensor1D);
      if (t === undefined) fail(f, "t", "is required (the ratio is of the diffused laws at time t)");
      checkTensor(t, "t", f);
      if (t.rank !== 1 || t.shape[0] !== x.shape[0]) fail(f, "t", `must have shape [${x.shape[0]}], got [${t.shape}]`);
      return tf.tidy(() => {
        const { scale, std } = sde.marginal(t);
        return tf.sub(p.logDensity(x as tf.Tensor2D, scale, std), q.logDensity(x as tf.Tensor2D, scale, std)) as tf.Tensor1D;
      });
    },
  };
}
