/**
 * The exact marginal velocity of a Gaussian or Gaussian-mixture target along a Gaussian path, in closed form:
 * with C_k = a^2 S_k + s^2 I and responsibilities r_k(x) of the noised mixture,
 *   E[x_0 | x, k] = mu_k + a S_k C_k^{-1} (x - a mu_k),   E[eps | x, k] = s C_k^{-1} (x - a mu_k),
 *   v(x, t) = sum_k r_k(x) (a' E[x_0 | x, k] + s' E[eps | x, k])   (Lipman et al. 2023, Thm. 1 and eq. 8),
 * finite at a = 0 (OT at t = 1), unlike the score conversion. The velocity twin of src/score/exact.
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";
import { GaussianMixture, singleGaussian } from "../data/gmm";
import { checkCall } from "../score/exact/common";
import type { ScoreFn } from "../sde/types";
import type { VelocityFn } from "./convert";
import { checkPath, type ProbabilityPath } from "./path";

/** An exact velocity model: the path, its velocity, score and log-density in closed form, and no variables. */
export interface ExactVelocityModel {
  path: ProbabilityPath;
  velocity: VelocityFn;
  score: ScoreFn;
  /** log p_t(x) per row: x [n, d], t [n] -> [n]. */
  logDensity(x: tf.Tensor, t: tf.Tensor): tf.Tensor1D;
  variables: tf.Variable[];
  dispose(): void;
}

/**
 * The exact velocity model of a GaussianMixture target along `path` (see the file comment).
 * @example const m = exactVelocity(otPath(), new GaussianMixture({ weights: [0.5, 0.5], means: [[-2], [2]] }));
 */
export function exactVelocity(path: ProbabilityPath, gmm: GaussianMixture): ExactVelocityModel {
  const fn = "exactVelocity";
  checkPath(path, fn);
  if (!(gmm instanceof GaussianMixture)) fail(fn, "gmm", "must be a GaussianMixture (src/data/gmm)");
  const d = gmm.dim;
  const { means, covs } = gmm.spec;
  // Each component alone gives -C_k^{-1}(x - a mu_k) (its score); S_k multiplies it for the posterior mean.
  const parts = means.map((mu, k) => {
    const c = covs === undefined ? 1 : covs[k];
    const S = typeof c === "number" ? mu.map((_, i) => mu.map((__, j) => (i === j ? c : 0))) : c;
    return { alone: singleGaussian(mu, S), S: tf.tensor2d(S), mu: tf.tensor2d([mu]) };
  });
  let disposed = false;
  const rows = (x: tf.Tensor, t: tf.Tensor, f: string) => {
    if (disposed) fail(f, "model", "was disposed");
    checkCall(x, t, d, f);
    const { scale, std, dScale, dStd } = path.coefficients(t);
    const col = (v: tf.Tensor) => tf.reshape(v, [-1, 1]);
    return { a: col(scale), s: col(std), da: col(dScale), ds: col(dStd) };
  };
  return {
    path,
    variables: [],
    velocity(x, t) {
      return tf.tidy(() => {
        const { a, s, da, ds } = rows(x, t, "exactVelocity.velocity");
        const r = gmm.responsibilities(x as tf.Tensor2D, a, s);
        const terms = parts.map((p, k) => {
          const sc = p.alone.score(x as tf.Tensor2D, a, s);
          const x0 = tf.sub(p.mu, tf.mul(a, tf.matMul(sc, p.S)));
          const eps = tf.neg(tf.mul(s, sc));
          return tf.mul(tf.slice(r, [0, k], [-1, 1]), tf.add(tf.mul(da, x0), tf.mul(ds, eps)));
        });
        return tf.addN(terms);
      });
    },
    score(x, t) {
      return tf.tidy(() => {
        const { a, s } = rows(x, t, "exactVelocity.score");
        return gmm.score(x as tf.Tensor2D, a, s);
      });
    },
    logDensity(x, t) {
      return tf.tidy(() => {
        const { a, s } = rows(x, t, "exactVelocity.logDensity");
        return gmm.logDensity(x as tf.Tensor2D, a, s);
      });
    },
    dispose() {
      if (disposed) return;
      for (const p of parts) tf.dispose([p.S, p.mu]);
      disposed = true;
    },
  };
}

/**
 * The exact velocity model of a Gaussian target N(mean, cov) (cov a variance or a matrix, default 1).
 * @example const m = gaussianVelocity(otPath(), [1, -1], [[1, 0.5], [0.5, 2]]);
 */
export function gaussianVelocity(path: ProbabilityPath, mean: number[], cov: number | number[][] = 1): ExactVelocityModel {
  return exactVelocity(path, singleGaussian(mean, cov));
}
