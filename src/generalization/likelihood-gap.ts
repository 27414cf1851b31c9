/**
 * The log-likelihood gap: mean log p(x) on training rows minus on held-out rows, each through the
 * probability-flow ODE (Song et al. 2021, Sec. 4.3; sample/likelihood.ts). A model that copies puts its mass on
 * the training points, so the gap grows with memorization.
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";
import type { SDE, ScoreFn } from "../sde/types";
import { logLikelihood, type LikelihoodOptions } from "../sample/likelihood";

export interface LikelihoodGap {
  /** Mean log p on training rows (nats). */
  train: number;
  /** Mean log p on held-out rows (nats). */
  test: number;
  /** train - test (nats; positive when the model prefers its training set). */
  gap: number;
  /** The same in bits per dimension (test - train, so positive means worse on held-out data). */
  gapBitsPerDim: number;
}

/**
 * Train versus held-out log-likelihood under (score, sde). Options go to logLikelihood.
 * @example const g = await likelihoodGap(model.score, sde, train, test, { steps: 50 }); // g.gap in nats
 */
export async function likelihoodGap(score: ScoreFn, sde: SDE, train: tf.Tensor, test: tf.Tensor, opts: LikelihoodOptions = {}): Promise<LikelihoodGap> {
  const fn = "likelihoodGap";
  if (typeof score !== "function") fail(fn, "score", "must be a score function (x, t) => tensor shaped like x");
  if (!(train instanceof tf.Tensor) || !(test instanceof tf.Tensor)) fail(fn, "train/test", "must both be tensors [n, ...dims]");
  const a = await logLikelihood(score, sde, train, opts);
  const b = await logLikelihood(score, sde, test, opts);
  return { train: a.meanLogp, test: b.meanLogp, gap: a.meanLogp - b.meanLogp, gapBitsPerDim: b.meanBitsPerDim - a.meanBitsPerDim };
}
