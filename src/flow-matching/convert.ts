/**
 * Velocity <-> score for Gaussian paths. Along x_t = a x_0 + s eps, the marginal velocity is
 * v = a' E[x_0 | x] + s' E[eps | x] (Lipman et al. 2023, Thm. 1), and Tweedie's formula gives E[eps | x] = -s grad log p_t
 * and E[x_0 | x] = (x + s^2 grad log p_t) / a, so
 *   v = (a' x + (a' s^2 - a s s') grad log p_t) / a,      grad log p_t = (a v - a' x) / (a' s^2 - a s s')
 * (Lipman et al. 2023, eq. 17 and Appendix; Albergo & Vanden-Eijnden 2023, Sec. 2). For the path of an SDE this is
 * its probability-flow ODE v = c x - g^2 grad log p_t / 2. The denominator a' s^2 - a s s' is -s on the OT path and
 * -a g^2 / 2 on an SDE path: nonzero for s > 0. velocityFromScore divides by a, so it needs a > 0 (not t = 1 on OT).
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";
import type { ScoreFn } from "../sde/types";
import { checkPath, perRow, type ProbabilityPath } from "./path";

/** A velocity field v(x, t): x [n, ...], t [n] -> a tensor shaped like x. */
export type VelocityFn = (x: tf.Tensor, t: tf.Tensor) => tf.Tensor;

function checkField(f: unknown, fn: string, name: string): void {
  if (typeof f !== "function") fail(fn, name, `must be a function (x, t) => tensor shaped like x`);
}

/**
 * The marginal velocity of `path` from its score (see the file comment). Needs a(t) > 0.
 * @example const v = velocityFromScore(mixtureScore(sde, gmm).score, sdePath(sde));
 */
export function velocityFromScore(score: ScoreFn, path: ProbabilityPath): VelocityFn {
  const fn = "velocityFromScore";
  checkField(score, fn, "score");
  checkPath(path, fn);
  return (x, t) => tf.tidy(() => {
    const { scale: a, std: s, dScale: da, dStd: ds } = path.coefficients(t);
    const coef = tf.sub(tf.mul(da, tf.square(s)), tf.mul(tf.mul(a, s), ds));
    return tf.div(tf.add(tf.mul(perRow(da, x), x), tf.mul(perRow(coef, x), score(x, t))), perRow(a, x));
  });
}

/**
 * The score of `path`'s marginal from its velocity (see the file comment): a ScoreFn for every score sampler on
 * path.sde, and for guidance, fusion and refinement.
 * @example const s = scoreFromVelocity(model.velocity, path); await probabilityFlowHeun(s, path.sde!, opts);
 */
export function scoreFromVelocity(velocity: VelocityFn, path: ProbabilityPath): ScoreFn {
  const fn = "scoreFromVelocity";
  checkField(velocity, fn, "velocity");
  checkPath(path, fn);
  return (x, t) => tf.tidy(() => {
    const { scale: a, std: s, dScale: da, dStd: ds } = path.coefficients(t);
    const den = tf.sub(tf.mul(da, tf.square(s)), tf.mul(tf.mul(a, s), ds));
    return tf.div(tf.sub(tf.mul(perRow(a, x), velocity(x, t)), tf.mul(perRow(da, x), x)), perRow(den, x));
  });
}
