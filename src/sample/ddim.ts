/** DDIM sampling for the VP SDE. */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, fail } from "../tensor";
import { SampleTrajectory, checkSamplerArgs, runSampler, scoreAt } from "./loop";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";

export interface DDIMOptions extends SamplerOptions {
  /** 0 (default) is deterministic DDIM; 1 matches DDPM's posterior variance. */
  eta?: number;
}

/**
 * DDIM (Song, Meng, Ermon 2021, eq. 12) on the VP SDE's marginals alpha_bar(t) = a(t)^2: from the score,
 * x0_hat = (x + s^2 score) / a and eps_hat = -s score (Tweedie), then
 * x' = a' x0_hat + sqrt(s'^2 - sigma^2) eps_hat + sigma z with sigma = eta (s'/s) sqrt(1 - a^2/a'^2).
 * Throws for VE and sub-VP SDEs. Returns the sample, or with keepEvery the trajectory.
 * @example const x = await ddim(model.score, vpSDE(), { n: 2000, steps: 100, rng: new Rng(0), shape: [2] });
 */
export function ddim(score: ScoreFn, sde: SDE, opts: DDIMOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function ddim(score: ScoreFn, sde: SDE, opts: DDIMOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function ddim(score: ScoreFn, sde: SDE, opts: DDIMOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function ddim(score: ScoreFn, sde: SDE, opts: DDIMOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "ddim";
  checkSamplerArgs(score, sde, opts, fn);
  if (sde.kind !== "vp") fail(fn, "sde", `must be a VP SDE (DDIM is defined on alpha_bar), got ${sde.kind}`);
  const eta = checkNumber(opts.eta ?? 0, "opts.eta", fn, { min: 0 });
  return runSampler(fn, sde, opts, (x, t, tNext, _last, noise) => {
    const { scale: a, std: s } = sde.marginalAt(t);
    const { scale: a2, std: s2 } = sde.marginalAt(tNext);
    const sc = scoreAt(score, x, t, fn);
    const x0 = tf.div(tf.add(x, tf.mul(sc, s * s)), a);
    const eps = tf.mul(sc, -s);
    const sigma = eta * (s2 / s) * Math.sqrt(Math.max(0, 1 - (a * a) / (a2 * a2)));
    const out = tf.add(tf.mul(x0, a2), tf.mul(eps, Math.sqrt(Math.max(0, s2 * s2 - sigma * sigma))));
    return sigma > 0 ? tf.add(out, noise.normal(x.shape, 0, sigma)) : out;
  });
}
