/**
 * The exact score of a diffused Gaussian target N(mu, S): p_t = N(a mu, a^2 S + s^2 I) with (a, s) the SDE's
 * marginal, score -(a^2 S + s^2 I)^{-1}(x - a mu) (PAPERS.md, closed forms). S is diagonalised once,
 * S = V diag(lambda) V^T, so every time t costs two d x d products and no inversion:
 * (a^2 S + s^2 I)^{-1} = V diag(1 / (a^2 lambda + s^2)) V^T.
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../../tensor";
import { symmetricEigen } from "../../linalg";
import { ExactScoreModel, checkCall, checkSDE } from "./common";
import type { SDE } from "../../sde/types";

/**
 * Exact score model of the Gaussian N(mean, cov) diffused by `sde`; cov defaults to the identity, a number means
 * that multiple of the identity. Returns an ExactScoreModel (score, logDensity, variables [] and dispose(), which
 * frees the few tensors it holds).
 * @example const m = gaussianScore(vpSDE(), [1, -1], [[1, 0.5], [0.5, 2]]); const s = m.score(x, t);
 */
export function gaussianScore(sde: SDE, mean: number[], cov: number[][] | number = 1): ExactScoreModel {
  const fn = "gaussianScore";
  checkSDE(sde, fn);
  if (!Array.isArray(mean) || mean.length === 0 || mean.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
    fail(fn, "mean", "must be a non-empty array of finite numbers");
  }
  const d = mean.length;
  let covM: number[][];
  if (typeof cov === "number") {
    if (!Number.isFinite(cov) || cov <= 0) fail(fn, "cov", `must be a positive variance or a ${d}x${d} matrix, got ${cov}`);
    covM = mean.map((_, i) => mean.map((__, j) => (i === j ? cov : 0)));
  } else {
    if (!Array.isArray(cov) || cov.length !== d || cov.some((r) => !Array.isArray(r) || r.length !== d)) fail(fn, "cov", `must be a ${d}x${d} matrix (mean has length ${d})`);
    covM = cov;
  }
  const { values, vectors } = symmetricEigen(covM);
  if (values[0] < 0) fail(fn, "cov", `must be positive semi-definite, has eigenvalue ${values[0]}`);
  const V = tf.tensor2d(vectors);
  const Vt = tf.transpose(V);
  const lam = tf.tensor2d([values]);
  const mu = tf.tensor2d([mean]);

  // Coordinates in the eigenbasis and the per-row eigenvalues of a^2 S + s^2 I.
  const rotated = (x: tf.Tensor, t: tf.Tensor) => {
    const { scale, std } = sde.marginal(t);
    const a = tf.reshape(scale, [-1, 1]);
    const y = tf.matMul(tf.sub(x, tf.mul(a, mu)), V);
    const ev = tf.add(tf.mul(tf.square(a), lam), tf.reshape(tf.square(std), [-1, 1]));
    return { y, ev };
  };
  let disposed = false;
  const alive = (f: string) => { if (disposed) fail(f, "model", "was disposed"); };
  return {
    sde,
    variables: [],
    score(x, t) {
      alive("gaussianScore.score"); checkCall(x, t, d, "gaussianScore.score");
      return tf.tidy(() => {
        const { y, ev } = rotated(x, t);
        return tf.neg(tf.matMul(tf.div(y, ev), Vt));
      });
    },
    logDensity(x, t) {
      alive("gaussianScore.logDensity"); checkCall(x, t, d, "gaussianScore.logDensity");
      return tf.tidy(() => {
        const { y, ev } = rotated(x, t);
        const quad = tf.sum(tf.div(tf.square(y), ev), 1);
        const logdet = tf.sum(tf.log(ev), 1);
        return tf.mul(-0.5, tf.add(tf.add(quad, logdet), d * Math.log(2 * Math.PI))) as tf.Tensor1D;
      });
    },
    dispose() { if (!disposed) { tf.dispose([V, Vt, lam, mu]); disposed = true; } },
  };
}
