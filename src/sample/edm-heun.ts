/** EDM's stochastic sampler: Heun steps in the noise level sigma with optional churn (Karras et al. 2022, Alg. 2). */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, fail } from "../tensor";
import { sigmaAt, timeAtSigma } from "../sde";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";
import { SampleTrajectory, checkSamplerArgs, runSampler } from "./loop";
import { denoiseAt } from "./denoiser";

export interface EDMHeunOptions extends SamplerOptions {
  /** S_churn: total churn over the run, gamma_i = min(S_churn / steps, sqrt(2) - 1) (default 0: Algorithm 1). */
  churn?: number;
  /** Churn only where S_tmin <= sigma_i <= S_tmax (defaults 0 and Infinity). */
  sTmin?: number;
  sTmax?: number;
  /** S_noise, the std of the churn noise relative to its nominal value (default 1). */
  sNoise?: number;
}

/**
 * Karras et al. 2022, Algorithm 2, in the scaled frame x_hat = x / a(t) (their eq. 4, so it runs under VP, VE and
 * sub-VP): at level sigma_i raise the noise to sigma_hat = sigma_i (1 + gamma_i) by adding
 * sqrt(sigma_hat^2 - sigma_i^2) S_noise z, take an Euler step of dx_hat/dsigma = (x_hat - D(x_hat; sigma)) / sigma
 * to sigma_{i+1} and correct it with the slope there (Heun). D is the score's Tweedie denoiser (denoiser.ts).
 * Two score calls a step. The grid here ends at sigma(tMin) > 0, so every step is a Heun step (EDM's last Euler
 * step to sigma = 0 does not arise), and sigma_hat is capped at sigma(T) so that the first step stays inside the
 * SDE's time range. With churn 0 the map is deterministic (Algorithm 1).
 * @example const x = await edmHeun(model.score, sde, { n: 1000, steps: 18, rng, shape: [2], grid: "karras", churn: 10 });
 */
export function edmHeun(score: ScoreFn, sde: SDE, opts: EDMHeunOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function edmHeun(score: ScoreFn, sde: SDE, opts: EDMHeunOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function edmHeun(score: ScoreFn, sde: SDE, opts: EDMHeunOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function edmHeun(score: ScoreFn, sde: SDE, opts: EDMHeunOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "edmHeun";
  checkSamplerArgs(score, sde, opts, fn);
  const churn = checkNumber(opts.churn ?? 0, "opts.churn", fn, { min: 0 });
  const sTmin = checkNumber(opts.sTmin ?? 0, "opts.sTmin", fn, { min: 0 });
  const sTmax = opts.sTmax === undefined || opts.sTmax === Infinity ? Infinity : checkNumber(opts.sTmax, "opts.sTmax", fn, { min: 0 });
  if (!(sTmax >= sTmin)) fail(fn, "opts.sTmax", `must be >= opts.sTmin = ${sTmin}, got ${sTmax}`);
  const sNoise = checkNumber(opts.sNoise ?? 1, "opts.sNoise", fn, { min: 0 });
  const gammaMax = Math.min(churn / opts.steps, Math.SQRT2 - 1);
  const sigmaTop = sigmaAt(sde, sde.T);
  return runSampler(fn, sde, opts, (x, t, tNext, _last, noise) => {
    const sig = sigmaAt(sde, t), sigN = sigmaAt(sde, tNext);
    const gamma = sig >= sTmin && sig <= sTmax ? gammaMax : 0;
    const sigHat = Math.min(sig * (1 + gamma), sigmaTop);
    const tHat = sigHat > sig ? timeAtSigma(sde, sigHat, fn) : t;
    let xh = tf.div(x, sde.marginalAt(t).scale);
    if (sigHat > sig) xh = tf.add(xh, noise.normal(x.shape, 0, sNoise * Math.sqrt(sigHat * sigHat - sig * sig)));
    const slope = (y: tf.Tensor, u: number, s: number) => tf.div(tf.sub(y, denoiseAt(score, sde, tf.mul(y, sde.marginalAt(u).scale), u, fn)), s);
    const d1 = slope(xh, tHat, sigHat);
    const euler = tf.add(xh, tf.mul(d1, sigN - sigHat));
    const d2 = slope(euler, tNext, sigN);
    const next = tf.add(xh, tf.mul(tf.add(d1, d2), (sigN - sigHat) / 2));
    return tf.mul(next, sde.marginalAt(tNext).scale);
  });
}
