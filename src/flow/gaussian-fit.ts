/**
 * The score of a Gaussian fitted to a particle set, smoothed at noise sigma: -(x - m)(C + sigma^2 I)^-1 with the
 * particles' mean m and population covariance C. While the flow keeps the source Gaussian (exact Gaussian case of
 * Weber 2023) this is the source's exact proxy score; the update is then affine in x, so the particles' mean and
 * covariance follow the Euler discretisation of the Gaussian ODE exactly.
 */
import * as tf from "@tensorflow/tfjs";
import { inverseSPD } from "../bounds/linalg";

export interface FittedScore { score(x: tf.Tensor2D): tf.Tensor2D; dispose(): void }

/** Fits particles [n, d] and returns score(x) at noise sigma (caller disposes results and the fit). */
export function gaussianFitScore(particles: tf.Tensor2D, sigma: number): FittedScore {
  const [n, d] = particles.shape;
  const [m, c] = tf.tidy(() => {
    const mean = tf.mean(particles, 0, true);
    const xc = tf.sub(particles, mean);
    return [mean, tf.div(tf.matMul(xc, xc, true, false), n)];
  });
  const cv = c.arraySync() as number[][];
  c.dispose();
  for (let i = 0; i < d; i++) cv[i][i] += sigma * sigma;
  const P = tf.tensor2d(inverseSPD(cv));
  return {
    score: (x) => tf.tidy(() => tf.neg(tf.matMul(tf.sub(x, m), P)) as tf.Tensor2D),
    dispose: () => tf.dispose([m, P]),
  };
}
