/** Heun's method on the probability-flow ODE. */
import * as tf from "@tensorflow/tfjs";
import { SampleTrajectory, checkSamplerArgs, runSampler, scoreAt } from "./loop";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";

/**
 * The probability-flow velocity F(x, t) = f(x, t) - g(t)^2 s(x, t) / 2 (Song et al. 2021, eq. 13), one time t for
 * all rows; `fn` names the caller in errors.
 * @example const v = tf.tidy(() => flowVelocity(model.score, sde, x, 0.5, "myFlow"));
 */
export function flowVelocity(score: ScoreFn, sde: SDE, x: tf.Tensor, t: number, fn: string): tf.Tensor {
  const g = sde.diffusionAt(t);
  return tf.sub(tf.mul(x, sde.driftCoefAt(t)), tf.mul(scoreAt(score, x, t, fn), 0.5 * g * g));
}

/**
 * Samples by integrating the probability-flow ODE dx/dt = f - g^2 s / 2 (Song et al. 2021, eq. 13) from T to
 * tMin with Heun's second-order method (Karras et al. 2022, Algorithm 1, on this grid): two score calls a step.
 * Deterministic given the prior sample. Returns the sample, or with keepEvery the trajectory.
 * @example const x = await probabilityFlowHeun(model.score, sde, { n: 512, steps: 100, rng: new Rng(0), shape: [2] });
 */
export function probabilityFlowHeun(score: ScoreFn, sde: SDE, opts: SamplerOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function probabilityFlowHeun(score: ScoreFn, sde: SDE, opts: SamplerOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function probabilityFlowHeun(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function probabilityFlowHeun(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "probabilityFlowHeun";
  checkSamplerArgs(score, sde, opts, fn);
  return runSampler(fn, sde, opts, (x, t, tNext) => {
    const h = t - tNext;
    const d1 = flowVelocity(score, sde, x, t, fn);
    const xe = tf.sub(x, tf.mul(d1, h));
    const d2 = flowVelocity(score, sde, xe, tNext, fn);
    return tf.sub(x, tf.mul(tf.add(d1, d2), h / 2));
  });
}
