/**
 * The score of a Gaussian fitted to a particle set, smoothed at noise sigma: -(x - m)(C + sigma^2 I)^-1 with the
 * particles' mean m and population covariance C. While the flow keeps the source Gaussian (exact Gaussian case of
 * Weber 2023) this is the source's exact proxy score; the update is then affine in x, so the particles' mean and
 * covariance follow the Euler discretisation of the Gaussian ODE exactly.
 */
import * as tf from "@tensorflow/tfjs";
import { inverseSPD } from "../linalg";
import type { GaussianSpec } from "../bounds/gaussian";
import { gaussianFromSamples } from "../bounds/kl-bound";

export interface FittedScore { score(x: tf.Tensor2D): tf.Tensor2D; dispose(): void }

/**
 * Mean and population covariance (divided by n, the moments the flow's Gaussian source proxy uses) of particles
 * [n, d] with n > d, in float64: the unbiased fit of gaussianFromSamples rescaled by (n - 1) / n.
 * @example particleMoments(tf.tensor2d([[0, 0], [2, 2], [0, 2]])) // mean [2/3, 4/3]
 */
export function particleMoments(particles: tf.Tensor2D): GaussianSpec {
  const g = gaussianFromSamples(particles, "particleMoments", "particles");
  const n = particles.shape[0];
  return { mean: g.mean, cov: g.cov.map((r) => r.map((v) => (v * (n - 1)) / n)) };
}

/** Fits particles [n, d] and returns score(x) at noise sigma (caller disposes results and the fit). */
export function gaussianFitScore(particles: tf.Tensor2D, sigma: number): FittedScore {
  const { mean, cov } = particleMoments(particles);
  for (let i = 0; i < cov.length; i++) cov[i][i] += sigma * sigma;
  const m = tf.tensor2d([mean]);
  const P = tf.tensor2d(inverseSPD(cov));
  return {
    score: (x) => tf.tidy(() => tf.neg(tf.matMul(tf.sub(x, m), P)) as tf.Tensor2D),
    dispose: () => tf.dispose([m, P]),
  };
}
