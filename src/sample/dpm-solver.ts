/** DPM-Solver++ (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion Probabilistic Models"). */
import * as tf from "@tensorflow/tfjs";
import { halfLogSnrAt, sigmaAt, timeAtSigma } from "../sde";
import type { SDE, SamplerOptions, ScoreFn } from "../sde/types";
import { SampleTrajectory, checkSamplerArgs, runSampler } from "./loop";
import { denoiseAt } from "./denoiser";

/**
 * The exact step of the data-prediction ODE with the denoiser held at `d` from t to t' (Lu et al. 2022, eq. 8 with
 * a constant x_theta): x' = (s' / s) x - a' (e^{-h} - 1) d, h = lambda(t') - lambda(t), lambda = log(a / s).
 */
function dataStep(sde: SDE, x: tf.Tensor, d: tf.Tensor, t: number, tNext: number): tf.Tensor {
  const s = sde.marginalAt(t).std;
  const { scale: a2, std: s2 } = sde.marginalAt(tNext);
  const h = halfLogSnrAt(sde, tNext) - halfLogSnrAt(sde, t);
  return tf.sub(tf.mul(x, s2 / s), tf.mul(d, a2 * Math.expm1(-h)));
}

/**
 * DPM-Solver++(2M), the multistep second-order solver (Lu et al. 2022, Algorithm 2): with D_i the denoiser at t_i
 * and r_i = h_{i-1} / h_i, each step is dataStep with D = (1 + 1 / (2 r_i)) D_i - (1 / (2 r_i)) D_{i-1}; the first
 * step, with no D_{i-1} yet, is first order (DDIM). One score call a step; deterministic given the prior.
 * @example const x = await dpmSolver2M(model.score, sde, { n: 1000, steps: 20, rng, shape: [2], grid: "logsnr" });
 */
export function dpmSolver2M(score: ScoreFn, sde: SDE, opts: SamplerOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function dpmSolver2M(score: ScoreFn, sde: SDE, opts: SamplerOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function dpmSolver2M(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function dpmSolver2M(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "dpmSolver2M";
  checkSamplerArgs(score, sde, opts, fn);
  let prev: { d: tf.Tensor; h: number } | null = null;
  try {
    return await runSampler(fn, sde, opts, (x, t, tNext) => {
      const d = denoiseAt(score, sde, x, t, fn);
      const h = halfLogSnrAt(sde, tNext) - halfLogSnrAt(sde, t);
      let dEff = d;
      if (prev) {
        const r = prev.h / h;
        dEff = tf.sub(tf.mul(d, 1 + 1 / (2 * r)), tf.mul(prev.d, 1 / (2 * r)));
        prev.d.dispose();
      }
      prev = { d: tf.keep(d), h };
      return dataStep(sde, x, dEff, t, tNext);
    });
  } finally {
    (prev as { d: tf.Tensor } | null)?.d.dispose();
  }
}

/**
 * DPM-Solver++(2S), the single-step second-order solver (Lu et al. 2022, Algorithm 1 with r = 1/2): a first-order
 * step to the midpoint in lambda (sigma_mid = sqrt(sigma sigma')), then dataStep over the whole step with the
 * denoiser there. Two score calls a step; deterministic given the prior.
 * @example const x = await dpmSolver2S(model.score, sde, { n: 1000, steps: 10, rng, shape: [2], grid: "logsnr" });
 */
export function dpmSolver2S(score: ScoreFn, sde: SDE, opts: SamplerOptions & { keepEvery: number }): Promise<SampleTrajectory>;
export function dpmSolver2S(score: ScoreFn, sde: SDE, opts: SamplerOptions & { keepEvery?: undefined }): Promise<tf.Tensor>;
export function dpmSolver2S(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor | SampleTrajectory>;
export async function dpmSolver2S(score: ScoreFn, sde: SDE, opts: SamplerOptions): Promise<tf.Tensor | SampleTrajectory> {
  const fn = "dpmSolver2S";
  checkSamplerArgs(score, sde, opts, fn);
  return runSampler(fn, sde, opts, (x, t, tNext) => {
    const tMid = timeAtSigma(sde, Math.sqrt(sigmaAt(sde, t) * sigmaAt(sde, tNext)), fn);
    const u = dataStep(sde, x, denoiseAt(score, sde, x, t, fn), t, tMid);
    return dataStep(sde, x, denoiseAt(score, sde, u, tMid, fn), t, tNext);
  });
}
