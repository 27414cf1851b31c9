/**
 * The score of a Gaussian fitted to a particle set, smoothed at noise sigma: -(x - m)(C + sigma^2 I)^-1 with the
 * particles' mean m and population covariance C. While the flow keeps the source Gaussian (exact Gaussian case of
 * Weber 2023) this is the source's exact proxy score; the update is then affine in x, so the particles' mean and
 * covariance follow the Euler discretisation of the Gaussian ODE exactly.
 */
import * as tf from "@tensorflow/tfjs";
import { checkRank, checkTensor, fail } from "../tensor";
import { inverseSPD } from "../bounds/linalg";
import type { GaussianSpec } from "../bounds/gaussian";

export interface FittedScore { score(x: tf.Tensor2D): tf.Tensor2D; dispose(): void }

/**
 * Mean and population covariance (divided by n, the moments the flow's Gaussian source proxy uses) of particles
 * [n, d], accumulated in float64.
 * @example particleMoments(tf.tensor2d([[0, 0], [2, 2]])) // { mean: [1, 1], cov: [[1, 1], [1, 1]] }
 */
export function particleMoments(particles: tf.Tensor2D): GaussianSpec {
  const fn = "particleMoments";
  checkTensor(particles, "particles", fn);
  checkRank(particles, 2, "particles", fn);
  const [n, d] = particles.shape;
  if (n < 1) fail(fn, "particles", "must hold at least one row");
  const v = particles.dataSync();
  const mean = new Array(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += v[i * d + j] / n;
  const cov = Array.from({ length: d }, () => new Array(d).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
    const dj = v[i * d + j] - mean[j];
    for (let k = j; k < d; k++) cov[j][k] += (dj * (v[i * d + k] - mean[k])) / n;
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) cov[j][k] = cov[k][j];
  if (mean.some((m) => !Number.isFinite(m))) fail(fn, "particles", "contains NaN or Infinity");
  return { mean, cov };
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
