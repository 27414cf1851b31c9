/**
 * Parameterisations: what the raw network F predicts, and how its input and output are scaled, as a wrapper between
 * any network and the score (Karras et al. 2022, "Elucidating the Design Space of Diffusion-Based Generative
 * Models", Table 1 and Sec. 5). With x = a x_0 + s eps, sigma = s / a, r = sqrt(a^2 sigma_data^2 + s^2) and the
 * denoiser D = c_skip x / a + c_out F(c_in x, c_noise), the score is (a D - x) / s^2 (Tweedie). In closed form:
 *
 *   eps:  F ~ eps,                                    score = -F / s                      (Ho et al. 2020)
 *   x0:   F ~ x_0,                                    score = (a F - x) / s^2
 *   v:    F ~ v = (a sd eps - (s / sd) x_0) / r,       score = -x / r^2 - (a sd / (r s)) F  (Salimans & Ho 2022)
 *   edm:  F ~ -v, c_noise = ln(sigma) / 4,            score = -x / r^2 + (a sd / (r s)) F  (Karras et al. 2022)
 *
 * with c_in = 1 / r for all four (unit-variance input) and c_noise = t / T except for edm. v with sigma_data is EDM's
 * c_skip = sd^2 / (sigma^2 + sd^2), c_out = -sigma sd / sqrt(sigma^2 + sd^2) in the scaled frame; edm flips c_out's
 * sign and conditions on log sigma, as EDM's Table 1 does. Each parameterisation's own loss is ||F - F*||^2 with
 * unit weight; for edm that is EDM's lambda(sigma) = 1 / c_out^2 weighting of ||D - x_0||^2.
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";
import type { SDE } from "../sde/types";

export const SCORE_PARAMS = ["eps", "x0", "v", "edm"] as const;
export type ScoreParam = (typeof SCORE_PARAMS)[number];

/** Checks a parameterisation name. @example checkScoreParam("edm", "trainScore", "opts.param"); */
export function checkScoreParam(p: unknown, fn: string, arg = "param"): ScoreParam {
  if (!SCORE_PARAMS.includes(p as ScoreParam)) fail(fn, arg, `must be one of ${SCORE_PARAMS.join(", ")}, got ${JSON.stringify(p)}`);
  return p as ScoreParam;
}

/** A requested parameterisation that differs from the stored one is an Error naming both. */
export function checkParamMatch(wanted: ScoreParam | undefined, stored: ScoreParam, fn: string): void {
  if (wanted !== undefined && wanted !== stored) {
    fail(fn, "opts.param", `is ${JSON.stringify(wanted)} but the checkpoint's parameterisation is ${JSON.stringify(stored)}; load it with param ${JSON.stringify(stored)} (or none)`);
  }
}

/** The per-row factors of a parameterisation at times t [n], reshaped to broadcast against x [n, ...]. */
export interface Preconditioning {
  /** Network input x * cIn and noise conditioning cNoise [n]. */
  cIn: tf.Tensor;
  cNoise: tf.Tensor;
  /** The score from the network output F. */
  score(x: tf.Tensor, F: tf.Tensor): tf.Tensor;
  /** The regression target F* of a noised pair x = a x_0 + s eps. */
  target(x0: tf.Tensor, eps: tf.Tensor): tf.Tensor;
  /** |d score / d F|, which converts a score-space loss weight into F-space. */
  gain: tf.Tensor;
  a: tf.Tensor;
  s: tf.Tensor;
  r: tf.Tensor;
}

/**
 * The preconditioning of `param` at times t ([n]) for inputs shaped like `rowShape` ([n, ...]). Call inside tf.tidy.
 * @example const p = tf.tidy(() => preconditioning("edm", sde, t, 1, x.shape).score(x, net.apply(...)));
 */
export function preconditioning(param: ScoreParam, sde: SDE, t: tf.Tensor, sigmaData: number, rowShape: number[]): Preconditioning {
  const row = [rowShape[0], ...rowShape.slice(1).map(() => 1)];
  const { scale, std } = sde.marginal(t);
  const a = tf.reshape(scale, row), s = tf.reshape(std, row);
  const r = tf.reshape(tf.sqrt(tf.add(tf.mul(tf.square(scale), sigmaData * sigmaData), tf.square(std))), row);
  const cIn = tf.reciprocal(r);
  const cNoise = param === "edm" ? tf.mul(tf.log(tf.div(std, scale)), 0.25) : tf.div(t, sde.T);
  const common = { cIn, cNoise, a, s, r };
  switch (param) {
    case "eps":
      return { ...common, gain: tf.reciprocal(s), score: (_x, F) => tf.div(tf.neg(F), s), target: (_x0, eps) => eps };
    case "x0":
      return { ...common, gain: tf.div(a, tf.square(s)), score: (x, F) => tf.div(tf.sub(tf.mul(a, F), x), tf.square(s)), target: (x0) => x0 };
    case "v":
    case "edm": {
      const sign = param === "v" ? 1 : -1;
      const gain = tf.div(tf.mul(a, sigmaData), tf.mul(r, s));
      return {
        ...common, gain,
        score: (x, F) => tf.sub(tf.neg(tf.div(x, tf.square(r))), tf.mul(gain, tf.mul(F, sign))),
        target: (x0, eps) => tf.mul(tf.div(tf.sub(tf.mul(eps, tf.mul(a, sigmaData)), tf.mul(x0, tf.div(s, sigmaData))), r), sign),
      };
    }
  }
}
