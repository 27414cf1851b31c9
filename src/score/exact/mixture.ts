/**
 * The exact score of a diffused Gaussian mixture: p_t is the mixture of the components' laws of a X + s eps, and
 * the score is sum_k r_k(x) score_k(x) with responsibilities r_k (PAPERS.md). The mixture does the algebra
 * (GaussianMixture.score with per-row scale and std); the SDE supplies (a, s).
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../../tensor";
import { GaussianMixture } from "../../data/gmm";
import { ExactScoreModel, checkCall, checkSDE } from "./common";
import type { SDE } from "../../sde/types";

/**
 * Exact score model of a GaussianMixture diffused by `sde`. Returns an ExactScoreModel (score, logDensity,
 * variables []; dispose() is a no-op: the mixture stays the caller's).
 * @example const m = mixtureScore(vpSDE(), new GaussianMixture({ weights: [0.5, 0.5], means: [[-2, 0], [2, 0]] }));
 */
export function mixtureScore(sde: SDE, gmm: GaussianMixture): ExactScoreModel {
  const fn = "mixtureScore";
  checkSDE(sde, fn);
  if (!(gmm instanceof GaussianMixture)) fail(fn, "gmm", "must be a GaussianMixture (src/data/gmm)");
  const d = gmm.dim;
  return {
    sde,
    variables: [],
    score(x, t) {
      checkCall(x, t, d, "mixtureScore.score");
      return tf.tidy(() => {
        const { scale, std } = sde.marginal(t);
        return gmm.score(x as tf.Tensor2D, scale, std);
      });
    },
    logDensity(x, t) {
      checkCall(x, t, d, "mixtureScore.logDensity");
      return tf.tidy(() => {
        const { scale, std } = sde.marginal(t);
        return gmm.logDensity(x as tf.Tensor2D, scale, std);
      });
    },
    dispose() { /* the mixture belongs to the caller */ },
  };
}
