/**
 * Parameterisations: what the raw network F predicts, and how its input and output are scaled, as a wrapper between
 * any network and the score (Karras et al. 2022, "Elucidating the Design Space of Diffusion-Based Generative
 * Models", Table 1 and Sec. 5). With x = a x_0 + s eps, sigma = s / a, r = sqrt(a^2 sigma_data^2 + s^2) and the
 * denoiser D = c_skip x / a + c_out F(c_in x, c_noise), the score is (a D - x) / s^2 (Tweedie). In closed form:
 *
 *   eps:  F ~ eps,                                    score = -F / s                      (Ho et al. 2020)
 *   x0:   F ~ x_0,                                    score = (a F - x) / s^2
 *   v:    F ~ v = (a sd eps - (s / sd) x_0) / r,       score = -x / r^2 - (a sd / (r s)) F  (Salimans & Ho 2022)
 *   edm:  F ~ -v, c_noise = ln(sigma) / 4,            score = -x / r^2 + (a sd / (r s)) F  (Karras et al. 2022)
 *
 * with c_in = 1 / r for all four (unit-variance input) and c_noise = t / T except for edm. v with sigma_data is EDM's
 * c_skip = sd^2 / (sigma^2 + sd^2), c_out = -sigma sd / sqrt(sigma^2 + sd^2) in the scaled frame; edm flips c_out's
 * sign and conditions on log sigma, as EDM's Table 1 does. Each parameterisation's own loss is ||F - F*||^2 with
 * unit weight; for edm that is EDM's lambda(sigma) = 1 / c_out^2 weighting of ||D - x_0||^2.
 */
import * as tf from "@tensorflow/tfjs";
import { fail } from "../tensor";
import type { SDE } from "../sde/types";

export const SCORE_PARAMS = ["eps", "x0", "v", "edm"] as const;
export type ScoreParam = (typeof SCORE_PARAMS)[number];

/** Checks a parameterisation name. @example checkScoreParam("edm", "trainScore", "opts.param"); */
export function checkScoreParam(p: unknown, fn: string, arg = "param"): ScoreParam {
  if (!SCORE_PARAMS.includes(p as ScoreParam)) fail(fn, arg, `must be one of ${SCORE_PARAMS.join(", ")}, got ${JSON.stringify(p)}`);
  return p as ScoreParam;
}

/** A requested parameterisation that differs from the stored one is an Error naming both. */
export function checkParamMatch(wanted: ScoreParam | undefined, stored: ScoreParam, fn: string): void {
  if (wanted !== undefined && wanted !== stored) {
    fail(fn, "opts.param", `is ${JSON.stringify(wanted)} but the checkpoint's parameterisation is ${JSON.stringify(stored)}; load it with param ${JSON.stringify(stored)} (or none)`);
  }
}

/** The SDE's marginal at times t [n]: x_t = scale x_0 + std eps, each [n] (SDE.marginal). */
export interface Marginal { scale: tf.Tensor; std: tf.Tensor }

/**
 * The per-row factors of a parameterisation at times t [n], reshaped to broadcast against x [n, ...]. Each factor is
 * built on first use and kept (the eps parameterisation's loss reads none of them), so use them inside the tf.tidy
 * that made the object.
 */
export interface Preconditioning {
  /** Network input x * cIn and noise conditioning cNoise [n]. */
  readonly cIn: tf.Tensor;
  readonly cNoise: tf.Tensor;
  /** The score from the network output F. */
  score(x: tf.Tensor, F: tf.Tensor): tf.Tensor;
  /** The regression target F* of a noised pair x = a x_0 + s eps. */
  target(x0: tf.Tensor, eps: tf.Tensor): tf.Tensor;
  /** |d score / d F|, which converts a score-space loss weight into F-space. */
  readonly gain: tf.Tensor;
  readonly a: tf.Tensor;
  readonly s: tf.Tensor;
  readonly r: tf.Tensor;
}

/**
 * Checks a marginal handed in by a caller that computed it already: scale and std [n], one per time of t.
 * @example const m = checkMarginal(given, t, "dsmLoss", "marginal");
 */
export function checkMarginal(m: Marginal, t: tf.Tensor, fn: string, arg = "marginal"): Marginal {
  if (m === null || typeof m !== "object" || !(m.scale instanceof tf.Tensor) || !(m.std instanceof tf.Tensor)) {
    fail(fn, arg, "must be the SDE's marginal at t, {scale, std} (sde.marginal(t))");
  }
  for (const k of ["scale", "std"] as const) {
    if (m[k].isDisposed) fail(fn, `${arg}.${k}`, "is disposed; compute sde.marginal(t) in the same tf.tidy");
    if (m[k].rank !== 1 || m[k].shape[0] !== t.shape[0]) fail(fn, `${arg}.${k}`, `must have shape [${t.shape[0]}] (one per time of t), got [${m[k].shape}]`);
  }
  return m;
}

/** The factors of one parameterisation, each made on first use from one marginal (Karras et al. 2022, Table 1). */
class Factors implements Preconditioning {
  private readonly made = new Map<string, tf.Tensor>();

  constructor(private readonly param: ScoreParam, private readonly T: number, private readonly sd: number,
    private readonly t: tf.Tensor, private readonly m: Marginal, private readonly row: number[]) {}

  // Kept for reuse; remade when an inner tf.tidy disposed the first one.
  private once(key: string, make: () => tf.Tensor): tf.Tensor {
    const had = this.made.get(key);
    if (had && !had.isDisposed) return had;
    const v = make();
    this.made.set(key, v);
    return v;
  }

  get a() { return this.once("a", () => tf.reshape(this.m.scale, this.row)); }
  get s() { return this.once("s", () => tf.reshape(this.m.std, this.row)); }
  /** r = sqrt(a^2 sigma_data^2 + s^2), the std of x_t. */
  get r() {
    const { scale, std } = this.m;
    return this.once("r", () => tf.reshape(tf.sqrt(tf.add(tf.mul(tf.square(scale), this.sd * this.sd), tf.square(std))), this.row));
  }
  get cIn() { return this.once("cIn", () => tf.reciprocal(this.r)); }
  get cNoise() {
    return this.once("cNoise", () => this.param === "edm" ? tf.mul(tf.log(tf.div(this.m.std, this.m.scale)), 0.25) : tf.div(this.t, this.T));
  }
  get gain() {
    return this.once("gain", () => this.param === "eps" ? tf.reciprocal(this.s)
      : this.param === "x0" ? tf.div(this.a, tf.square(this.s))
      : tf.div(tf.mul(this.a, this.sd), tf.mul(this.r, this.s)));
  }
  private get sign() { return this.param === "v" ? 1 : -1; }

  score(x: tf.Tensor, F: tf.Tensor): tf.Tensor {
    switch (this.param) {
      case "eps": return tf.div(tf.neg(F), this.s);
      case "x0": return tf.div(tf.sub(tf.mul(this.a, F), x), tf.square(this.s));
      default: return tf.sub(tf.neg(tf.div(x, tf.square(this.r))), tf.mul(this.gain, tf.mul(F, this.sign)));
    }
  }

  target(x0: tf.Tensor, eps: tf.Tensor): tf.Tensor {
    switch (this.param) {
      case "eps": return eps;
      case "x0": return x0;
      default: return tf.mul(tf.div(tf.sub(tf.mul(eps, tf.mul(this.a, this.sd)), tf.mul(x0, tf.div(this.s, this.sd))), this.r), this.sign);
    }
  }
}

/**
 * The preconditioning of `param` at times t ([n]) for inputs shaped like `rowShape` ([n, ...]), from the SDE's
 * marginal at t (computed here unless the caller has it). Call inside tf.tidy.
 * @example const p = tf.tidy(() => preconditioning("edm", sde, t, 1, x.shape).score(x, net.apply(...)));
 */
export function preconditioning(param: ScoreParam, sde: SDE, t: tf.Tensor, sigmaData: number, rowShape: number[], marginal?: Marginal): Preconditioning {
  const m = marginal ? checkMarginal(marginal, t, "preconditioning") : sde.marginal(t);
  return new Factors(param, sde.T, sigmaData, t, m, [rowShape[0], ...rowShape.slice(1).map(() => 1)]);
}
