/** Log-likelihood of a flow-matching model through the change of variables along its ODE (src/sample/likelihood.ts). */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";
import { odeLogLikelihood, type LikelihoodOptions, type LikelihoodResult } from "../sample";
import type { VelocityFn } from "./convert";
import { checkPath, type ProbabilityPath } from "./path";

/**
 * log p_tMin(x) = log p_T(x_T) + int_tMin^T div v(x_t, t) dt along dx/dt = v (Chen et al. 2018; Lipman et al. 2023,
 * Sec. 4.1), with logLikelihood's integrators and divergence estimators; per-sample nats and bits/dim.
 * @example const { meanLogp } = await flowLogLikelihood(model.velocity, model.path, xTest, { steps: 100 });
 */
export async function flowLogLikelihood(velocity: VelocityFn, path: ProbabilityPath, x: tf.Tensor, opts: LikelihoodOptions = {}): Promise<LikelihoodResult> {
  const fn = "flowLogLikelihood";
  if (typeof velocity !== "function") fail(fn, "velocity", "must be a velocity function (x, t) => tensor shaped like x");
  checkPath(path, fn);
  return odeLogLikelihood({
    tMin: path.tMin, T: path.T, priorLogProb: (u) => path.priorLogProb(u),
    velocity: (u, t) => velocity(u, tf.fill([u.shape[0]], t)),
  }, x, opts, fn, "velocity");
}
