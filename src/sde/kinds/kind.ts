/**
 * What makes one forward SDE kind of Song et al. 2021 (Appendix B) differ from another, given its schedule's beta(t)
 * and B(t) = int_0^t beta: the marginal x_t = a x_0 + s eps as a function of B, the linear drift coefficient, the
 * squared diffusion, the prior's variance and the default schedule. sde.ts builds the SDE object from one of these;
 * a new kind is one file here and one row in kind-table.ts.
 */
import type * as tf from "@tensorflow/tfjs";
import type { NoiseSchedule } from "../types";

export interface SDEKindSpec {
  /** The name magics, configs and checkpoints use ("vp"). */
  name: string;
  /** For banners and tables ("VP"). */
  label: string;
  description: string;
  /** Smallest time samplers and likelihoods use unless told. */
  defaultTMin: number;
  /** The schedule when none is given, from the VE-style sigmaMin/sigmaMax options where the kind takes them. */
  defaultSchedule(opts: { T: number; sigmaMin?: number; sigmaMax?: number }, fn: string): NoiseSchedule;
  /** Whether sigmaMin / sigmaMax options apply (they choose the default schedule). */
  takesSigmas: boolean;
  /** a(B) and s(B) of the marginal, scalar and elementwise. */
  marginalOf(b: number): { scale: number; std: number };
  marginalOfT(b: tf.Tensor): { scale: tf.Tensor; std: tf.Tensor };
  /** f(x, t) = c(t) x: c from beta(t). */
  driftCoef(beta: number): number;
  driftCoefT(beta: tf.Tensor): tf.Tensor;
  /** g(t)^2 from beta(t) and B(t), scalar and elementwise. */
  diffusionSq(beta: number, b: number): number;
  diffusionSqT(beta: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** Variance of the prior p_T given B(T). */
  priorVar(bT: number): number;
  /** Whether B(t) itself must be a finite float32 (the variance is B, not 1 - e^{-B}). */
  varianceIsB: boolean;
}
