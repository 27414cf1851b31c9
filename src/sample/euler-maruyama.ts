/** Euler–Maruyama on the reverse-time SDE. */
import * as tf from "@tensorflow/tfjs";
import { SampleTrajectory, checkSamplerArgs, runSampler, scoreAt } from "./loop";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";

/**
 * Samples by Euler–Maruyama on the reverse SDE dx = [f(x,t) - g(t)^2 s(x,t)] dt + g(t) dW_bar (Song et al. 2021,
 * eq. 6; score_sde's EulerMaruyamaPredictor), on the uniform grid from T to tMin. As in score_sde the last step
 * adds no noise (it returns the step's mean). Returns the sample [n, ...shape], or with keepEvery the trajectory.
 * @example const x = await eulerMaruyama(model.score, sde, { n: 512, steps: 500, rng: new Rng(0), shape: [2] });
 */
export function eulerMaruyama(score: ScoreFn, sde: SDE, opts: SamplerOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function eulerMaruyama(score: ScoreFn, sde: SDE, opts: SamplerOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function eulerMaruyama(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function eulerMaruyama(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "eulerMaruyama";
  checkSamplerArgs(score, sde, opts, fn);
  return runSampler(fn, sde, opts, (x, t, tNext, last, noise) => {
    const h = t - tNext;
    const c = sde.driftCoefAt(t);
    const g = sde.diffusionAt(t);
    const s = scoreAt(score, x, t, fn);
    const mean = tf.add(tf.mul(x, 1 - h * c), tf.mul(s, h * g * g));
    return last ? mean : tf.add(mean, noise.normal(x.shape, 0, g * Math.sqrt(h)));
  });
}
