/** Predictor–corrector sampling: Euler–Maruyama predictor, Langevin corrector. */
import * as tf from "@tensorflow/tfjs";
import { MAX_STEPS, checkNumber } from "../tensor";
import { SampleTrajectory, checkSamplerArgs, runSampler, scoreAt } from "./loop";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";

export interface PCOptions extends SamplerOptions {
  /** Signal-to-noise ratio r of the Langevin step (default 0.16, score_sde's VE setting). */
  snr?: number;
  /** Langevin steps per noise level (default 1). */
  correctorSteps?: number;
}

/** Mean over the batch of per-sample Euclidean norms (score_sde's LangevinCorrector), a scalar tensor. */
function meanNorm(v: tf.Tensor): tf.Tensor {
  return tf.mean(tf.norm(tf.reshape(v, [v.shape[0], -1]), "euclidean", 1));
}

/**
 * Predictor–corrector sampler (Song et al. 2021, Algorithms 2 (VE) and 3 (VP), in score_sde's order): at each
 * level t_i, `correctorSteps` Langevin steps x <- x + e s(x, t_i) + sqrt(2 e) z with e = 2 alpha (r |z| / |s|)^2
 * (alpha = 1 - beta(t_i) h for VP and sub-VP, 1 for VE; |.| the batch mean of per-sample norms), then one Euler–Maruyama step to
 * t_{i+1}; the last predictor step adds no noise. Returns the sample, or with keepEvery the trajectory. The noise is
 * per row, but the Langevin step size is a batch statistic (as in score_sde), so with correctorSteps > 0 a sample
 * does depend on the rest of its batch.
 * @example const x = await predictorCorrector(model.score, sde, { n: 512, steps: 500, rng, shape: [2], snr: 0.16 });
 */
export function predictorCorrector(score: ScoreFn, sde: SDE, opts: PCOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function predictorCorrector(score: ScoreFn, sde: SDE, opts: PCOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function predictorCorrector(score: ScoreFn, sde: SDE, opts: PCOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function predictorCorrector(score: ScoreFn, sde: SDE, opts: PCOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "predictorCorrector";
  checkSamplerArgs(score, sde, opts, fn);
  const snr = checkNumber(opts.snr ?? 0.16, "opts.snr", fn, { gt: 0 });
  const correctorSteps = checkNumber(opts.correctorSteps ?? 1, "opts.correctorSteps", fn, { integer: true, min: 0, max: MAX_STEPS });
  return runSampler(fn, sde, opts, (x0, t, tNext, last, noise) => {
    const h = t - tNext;
    // Song et al. 2021, Alg. 5: alpha_i = 1 - beta_i h for VP-type drifts f = -beta x / 2, 1 for VE (f = 0).
    const alpha = Math.max(0, 1 + 2 * sde.driftCoefAt(t) * h);
    let x = x0;
    for (let j = 0; j < correctorSteps; j++) {
      const s = scoreAt(score, x, t, fn);
      const z = noise.normal(x.shape);
      // Batch-mean norms, as score_sde: per-sample norms give samples near a mode (|s| -> 0) huge steps and
      // inflate the variance several-fold. A zero score everywhere gives no Langevin step (divNoNan).
      const ratio = tf.divNoNan(meanNorm(z), meanNorm(s));
      const e = tf.mul(2 * alpha * snr * snr, tf.square(ratio));
      x = tf.add(tf.add(x, tf.mul(e, s)), tf.mul(tf.sqrt(tf.mul(2, e)), z));
    }
    const c = sde.driftCoefAt(t);
    const g = sde.diffusionAt(t);
    const s = scoreAt(score, x, t, fn);
    const mean = tf.add(tf.mul(x, 1 - h * c), tf.mul(s, h * g * g));
    return last ? mean : tf.add(mean, noise.normal(x.shape, 0, g * Math.sqrt(h)));
  });
}
