/** Ancestral samplers: Euler ancestral in the noise level sigma, and DDPM's ancestral step on the VP SDE. */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, fail } from "../tensor";
import { sigmaAt } from "../sde";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";
import { SampleTrajectory, checkSamplerArgs, runSampler, scoreAt } from "./loop";
import { denoiseAt } from "./denoiser";

export interface EulerAncestralOptions extends SamplerOptions {
  /** Scale of the ancestral noise: 1 (default) is the DDPM posterior's variance, 0 is deterministic Euler. */
  eta?: number;
}

/**
 * Euler ancestral (k-diffusion's sample_euler_ancestral) in the scaled frame x_hat = x / a: from sigma to sigma',
 * sigma_up = min(sigma', eta sqrt(sigma'^2 (sigma^2 - sigma'^2) / sigma^2)), sigma_down = sqrt(sigma'^2 - sigma_up^2),
 * x_hat' = x_hat + (sigma_down - sigma)(x_hat - D) / sigma + sigma_up z, with D the Tweedie denoiser. With eta = 1 the
 * step draws from the forward process's posterior q(x_t' | x_t, x_0 = D) (Ho et al. 2020, eq. 7). The grid ends at
 * sigma(tMin) > 0, so the last step adds noise too. One score call a step.
 * @example const x = await eulerAncestral(model.score, sde, { n: 1000, steps: 50, rng, shape: [2], grid: "karras" });
 */
export function eulerAncestral(score: ScoreFn, sde: SDE, opts: EulerAncestralOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function eulerAncestral(score: ScoreFn, sde: SDE, opts: EulerAncestralOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function eulerAncestral(score: ScoreFn, sde: SDE, opts: EulerAncestralOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function eulerAncestral(score: ScoreFn, sde: SDE, opts: EulerAncestralOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "eulerAncestral";
  checkSamplerArgs(score, sde, opts, fn);
  const eta = checkNumber(opts.eta ?? 1, "opts.eta", fn, { min: 0, max: 1 });
  return runSampler(fn, sde, opts, (x, t, tNext, _last, noise) => {
    const sig = sigmaAt(sde, t), sigN = sigmaAt(sde, tNext);
    const up = Math.min(sigN, eta * Math.sqrt(Math.max(0, (sigN * sigN * (sig * sig - sigN * sigN)) / (sig * sig))));
    const down = Math.sqrt(sigN * sigN - up * up);
    const a = sde.marginalAt(t).scale;
    const xh = tf.div(x, a);
    const d = tf.div(tf.sub(xh, denoiseAt(score, sde, x, t, fn)), sig);
    let next = tf.add(xh, tf.mul(d, down - sig));
    if (up > 0) next = tf.add(next, noise.normal(x.shape, 0, up));
    return tf.mul(next, sde.marginalAt(tNext).scale);
  });
}

export interface DDPMOptions extends SamplerOptions {
  /** The step's noise variance: "beta" = beta_t (default) or "posterior" = beta_tilde_t (Ho et al. 2020, Sec. 3.2). */
  variance?: "beta" | "posterior";
}

/**
 * DDPM's ancestral sampler (Ho et al. 2020, Algorithm 2) on the VP SDE's grid: with alpha_bar = a(t)^2 and
 * alpha_t = alpha_bar(t) / alpha_bar(t'), beta_t = 1 - alpha_t,
 * x' = (x - beta_t / s(t) eps_hat) / sqrt(alpha_t) + sigma_t z, eps_hat = -s(t) score(x, t), and sigma_t^2 = beta_t
 * or beta_tilde_t = (s(t')^2 / s(t)^2) beta_t. As in Algorithm 2 the last step adds no noise. One score call a step.
 * Throws for VE and sub-VP SDEs (the Markov chain is VP's).
 * @example const x = await ddpmAncestral(model.score, vpSDE(), { n: 1000, steps: 100, rng, shape: [2] });
 */
export function ddpmAncestral(score: ScoreFn, sde: SDE, opts: DDPMOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function ddpmAncestral(score: ScoreFn, sde: SDE, opts: DDPMOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function ddpmAncestral(score: ScoreFn, sde: SDE, opts: DDPMOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function ddpmAncestral(score: ScoreFn, sde: SDE, opts: DDPMOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "ddpmAncestral";
  checkSamplerArgs(score, sde, opts, fn);
  if (sde.kind !== "vp") fail(fn, "sde", `must be a VP SDE (DDPM's chain is variance preserving), got ${sde.kind}`);
  const variance = opts.variance ?? "beta";
  if (variance !== "beta" && variance !== "posterior") fail(fn, "opts.variance", `must be "beta" or "posterior", got ${JSON.stringify(variance)}`);
  return runSampler(fn, sde, opts, (x, t, tNext, last, noise) => {
    const s = sde.marginalAt(t).std, s2 = sde.marginalAt(tNext).std;
    // alpha_t = e^{-(B(t) - B(t'))}; expm1 keeps beta_t exact for small steps, where 1 - alpha_t would cancel.
    const dB = sde.schedule.integral(t) - sde.schedule.integral(tNext);
    const alpha = Math.exp(-dB);
    const beta = -Math.expm1(-dB);
    // beta_t / s eps_hat = -beta_t score.
    const mean = tf.div(tf.add(x, tf.mul(scoreAt(score, x, t, fn), beta)), Math.sqrt(alpha));
    if (last) return mean;
    const v = variance === "beta" ? beta : ((s2 * s2) / (s * s)) * beta;
    return tf.add(mean, noise.normal(x.shape, 0, Math.sqrt(v)));
  });
}
