/**
 * The central interfaces of the score core (see DESIGN.md). The SDE owns all noise math: losses, samplers and
 * bounds ask it (as in score_sde's sde_lib).
 */
import * as tf from "@tensorflow/tfjs";
import type { LongWorkOptions, Rng, RowRng } from "../tensor";

/** grad_x log p_t(x). x: [n, ...dims]; t: [n] (one time per row). Returns a tensor shaped like x. */
export type ScoreFn = (x: tf.Tensor, t: tf.Tensor) => tf.Tensor;

/** A noise schedule beta(t) on [0, T] with its integral B(t) = int_0^t beta(u) du. */
export interface NoiseSchedule {
  name: string;
  beta(t: number): number;
  integral(t: number): number;
  /** Tensor versions (elementwise), for use inside losses and samplers. */
  betaT(t: tf.Tensor): tf.Tensor;
  integralT(t: tf.Tensor): tf.Tensor;
}

export type SDEKind = "vp" | "ve" | "subvp";

/** Forward SDE dx = f(x,t) dt + g(t) dW on [tMin, T] with Gaussian marginals x_t = scale(t) x_0 + std(t) eps. */
export interface SDE {
  kind: SDEKind;
  T: number;
  tMin: number;
  schedule: NoiseSchedule;
  /** t: [n]. Returns scale and std, each [n]. */
  marginal(t: tf.Tensor): { scale: tf.Tensor; std: tf.Tensor };
  /** Scalar versions for closed-form recursions (bounds, exact KL). */
  marginalAt(t: number): { scale: number; std: number };
  /** f(x, t); x: [n, ...], t: [n]. */
  drift(x: tf.Tensor, t: tf.Tensor): tf.Tensor;
  /** g(t); t: [n] -> [n]. */
  diffusion(t: tf.Tensor): tf.Tensor;
  /** Scalar versions: f is linear in x for VP/VE/sub-VP, f(x,t) = driftCoef(t) * x. */
  driftCoefAt(t: number): number;
  diffusionAt(t: number): number;
  /** Samples of the prior p_T, shape [n, ...shape]; with a RowRng of n streams, row i from stream i. */
  prior(n: number, shape: number[], rng: Rng | RowRng): tf.Tensor;
  /** The variance of the prior p_T = N(0, priorVar I): 1 for VP and sub-VP, B(T) for VE. */
  priorVar: number;
  /** log p_T(x) per row: x [n, ...] -> [n]. */
  priorLogProb(x: tf.Tensor): tf.Tensor;
  /** Plain description for banners and tables. */
  describe(): string;
}

/**
 * A sampler's noise grid (src/sample/grids.ts): a rule by name, Karras et al.'s with its rho, or the times
 * T = t_0 > t_1 > ... > t_steps >= tMin themselves.
 */
export type GridSpec = "uniform" | "karras" | "logsnr" | { kind: "karras"; rho?: number } | readonly number[];

/** Options every sampler takes. */
export interface SamplerOptions extends LongWorkOptions {
  n: number;
  steps: number;
  rng: Rng;
  /** Shape of one sample (default [d] from the SDE's use; required). */
  shape: number[];
  /** Return the trajectory every `keepEvery` steps (default: none). */
  keepEvery?: number;
  /** The noise grid (default "uniform" in t); an array of times must hold steps + 1 entries. */
  grid?: GridSpec;
}

/** A trained or exact model: an SDE and a score function, with its trainable variables (none for exact ones). */
export interface ScoreModel {
  sde: SDE;
  score: ScoreFn;
  variables: tf.Variable[];
  save?(dir: string): Promise<void>;
  /** Frees tensors the model holds (exact models keep their parameters as tensors). */
  dispose?(): void;
}
