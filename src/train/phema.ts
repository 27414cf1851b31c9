/**
 * Post-hoc EMA with power-function profiles (Karras et al. 2024, "Analyzing and Improving the Training Dynamics of
 * Diffusion Models", EDM2, Sec. 3 and Appendix C). A power-function EMA with exponent gamma averages the weights
 * theta(tau) seen up to step t with the profile p_{t,gamma}(tau) = (gamma + 1) tau^gamma / t^(gamma + 1) on [0, t]
 * (eq. 121); its width relative to t is sigma_rel = sqrt((gamma + 1) / ((gamma + 2)^2 (gamma + 3))) (eq. 123).
 * It is tracked online by ema <- beta ema + (1 - beta) theta_t with beta = (1 - 1/t)^(gamma + 1) (eq. 127): unrolled,
 * theta_tau gets the weight (tau^(gamma+1) - (tau-1)^(gamma+1)) / t^(gamma+1), which is exactly the integral of the
 * profile over (tau - 1, tau], so the discrete EMA is the continuous one of the piecewise-constant trajectory.
 *
 * Training keeps two such EMAs and stores snapshots of both every `every` steps; afterwards the EMA of any
 * (step, sigma_rel) is reconstructed as the combination of snapshots whose profile is closest in L2 to the wanted
 * one (Algorithm 3): solve A x = b with A_ij = <p_i, p_j>, b_i = <p_i, p_target> (closed form, eq. 151), then
 * normalise x to sum 1 as EDM2 does. The L2 residual of the profile bounds the reconstruction error of every
 * weight by Cauchy-Schwarz: |sum_i x_i ema_i - ema_target| <= residual * ||theta||_{L2[0, t]}.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkPositiveInt, fail } from "../tensor";
import { symmetricEigen } from "../linalg";

/** The exponent where sigma_rel(gamma) peaks (root of gamma^2 + 3 gamma + 1): profiles are named on the branch above it. */
const GAMMA_PEAK = (Math.sqrt(5) - 3) / 2;

/**
 * The relative standard deviation of the power-function profile with exponent gamma > -1 (EDM2, eq. 123).
 * @example gammaToStd(6.94); // about 0.10
 */
export function gammaToStd(gamma: number): number {
  checkNumber(gamma, "gamma", "gammaToStd", { gt: -1 });
  return Math.sqrt((gamma + 1) / ((gamma + 2) ** 2 * (gamma + 3)));
}

/** Largest sigma_rel a power-function profile has (at GAMMA_PEAK, about 0.2997). */
export const MAX_EMA_STD = Math.sqrt((GAMMA_PEAK + 1) / ((GAMMA_PEAK + 2) ** 2 * (GAMMA_PEAK + 3)));

/**
 * The exponent gamma of the profile with relative std `std` (EDM2, eq. 126: the largest real root of
 * gamma^3 + 7 gamma^2 + (16 - std^-2) gamma + 12 - std^-2), by bisection on the decreasing branch.
 * @example stdToGamma(0.1); // about 6.94
 */
export function stdToGamma(std: number): number {
  checkNumber(std, "std", "stdToGamma", { gt: 0, max: MAX_EMA_STD });
  let lo = GAMMA_PEAK, hi = 1;
  while (gammaToStd(hi) > std) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (gammaToStd(mid) > std) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The decay of the online power-function EMA at update `step` (1-based): (1 - 1/step)^(gamma + 1) (EDM2, eq. 127).
 * @example powerEmaBeta(6.94, 1); // 0: the first update copies the weights
 */
export function powerEmaBeta(gamma: number, step: number): number {
  checkNumber(gamma, "gamma", "powerEmaBeta", { gt: -1 });
  checkPositiveInt(step, "step", "powerEmaBeta");
  return (1 - 1 / step) ** (gamma + 1);
}

/**
 * <p_{ta,ga}, p_{tb,gb}> in L2[0, infinity): (ga+1)(gb+1) min(ta,tb)^(ga+gb+1) / ((ga+gb+1) ta^(ga+1) tb^(gb+1))
 * (EDM2, eq. 151), written with ratios so that large steps do not overflow.
 * @example profileInnerProduct(100, 7, 100, 7); // (8^2 / 15) / 100
 */
export function profileInnerProduct(ta: number, ga: number, tb: number, gb: number): number {
  // Only the exponent of the longer profile survives: ta^(ga+1) cancels against min(ta, tb)^(ga+gb+1).
  const [tLo, tHi, gHi] = ta <= tb ? [ta, tb, gb] : [tb, ta, ga];
  return ((ga + 1) * (gb + 1) * (tLo / tHi) ** (gHi + 1)) / ((ga + gb + 1) * tLo);
}

/** One stored EMA: its step (updates so far), profile and weights (kept tensors, owned by the tracker). */
export interface EmaSnapshot { step: number; std: number; gamma: number; weights: tf.Tensor[] }

export interface PowerEmaOptions {
  /** Relative stds of the tracked EMAs (default [0.05, 0.10], as EDM2). */
  stds?: number[];
  /** Store a snapshot of every tracked EMA each this many updates (default 100). */
  every?: number;
}

/**
 * Tracks power-function EMAs of a model's weights during training and keeps their snapshots (EDM2, Sec. 3.1).
 * Give it to runTrainer or trainScore as `phema`; update() is called once per applied optimiser step.
 * @example
 * const phema = new PowerEma(model.variables, { stds: [0.05, 0.1], every: 50 });
 * await trainScore(model, data, { steps: 1000, rng, phema });
 * const { weights } = reconstructEma(phema.snapshots, { std: 0.07 });
 */
export class PowerEma {
  readonly stds: number[];
  readonly gammas: number[];
  readonly every: number;
  /** The tracked EMAs, one weight list per std (same order and shapes as the weights). */
  readonly emas: tf.Variable[][];
  readonly snapshots: EmaSnapshot[] = [];
  private readonly shapes: number[][];
  private count = 0;

  constructor(weights: tf.Tensor[], opts: PowerEmaOptions = {}) {
    const fn = "PowerEma";
    if (!Array.isArray(weights) || weights.length === 0 || weights.some((w) => !(w instanceof tf.Tensor) || w.isDisposed)) fail(fn, "weights", "must be a non-empty array of live tensors (the model's variables)");
    if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object { stds?, every? }");
    const stds = opts.stds ?? [0.05, 0.1];
    if (!Array.isArray(stds) || stds.length === 0) fail(fn, "opts.stds", "must be a non-empty array of relative stds");
    stds.forEach((s, i) => checkNumber(s, `opts.stds[${i}]`, fn, { gt: 0, max: MAX_EMA_STD }));
    this.every = checkPositiveInt(opts.every ?? 100, "opts.every", fn);
    this.stds = [...stds];
    this.gammas = stds.map(stdToGamma);
    this.shapes = weights.map((w) => w.shape.slice());
    // tidy frees the cast copies (a variable keeps the tensor it was made from alive otherwise).
    this.emas = stds.map(() => weights.map((w) => tf.tidy(() => tf.variable(tf.cast(w, "float32"), false))));
  }

  /** Updates done so far. */
  get steps(): number { return this.count; }

  /**
   * One update with the current weights (same order and shapes as at construction); stores snapshots each
   * `every` updates. @example phema.update(model.variables);
   */
  update(weights: tf.Tensor[]): void {
    this.checkWeights(weights, "PowerEma.update", "weights");
    const step = ++this.count;
    tf.tidy(() => {
      this.gammas.forEach((g, k) => {
        const beta = powerEmaBeta(g, step);
        this.emas[k].forEach((e, i) => e.assign(tf.add(tf.mul(e, beta), tf.mul(weights[i], 1 - beta))));
      });
    });
    if (step % this.every === 0) {
      this.stds.forEach((std, k) => this.snapshots.push({ step, std, gamma: this.gammas[k], weights: this.emas[k].map((e) => tf.keep(tf.clone(e))) }));
    }
  }

  /**
   * Throws unless `weights` match the tracker's shapes (trainers call it before their first step).
   * @example phema.checkWeights(model.variables, "trainScore", "opts.phema");
   */
  checkWeights(weights: tf.Tensor[], fn: string, name: string): void {
    const want = `the ${this.shapes.length} tensors of shapes ${this.shapes.map((s) => `[${s}]`).join(", ")} the tracker was built with`;
    if (!Array.isArray(weights) || weights.length !== this.shapes.length) fail(fn, name, `must track ${want}`);
    weights.forEach((w, i) => {
      if (!(w instanceof tf.Tensor) || w.shape.length !== this.shapes[i].length || w.shape.some((d, k) => d !== this.shapes[i][k])) fail(fn, name, `must track ${want}; tensor ${i} differs`);
    });
  }

  /** Frees the tracked EMAs and every snapshot. */
  dispose(): void {
    for (const list of this.emas) tf.dispose(list);
    for (const s of this.snapshots) tf.dispose(s.weights);
    this.snapshots.length = 0;
  }
}

export interface PosthocTarget {
  /** Relative std of the wanted EMA (give this or gamma). */
  std?: number;
  gamma?: number;
  /** Step of the wanted EMA (default the last snapshot's step). */
  step?: number;
}

export interface PosthocCoefficients {
  /** One coefficient per snapshot, summing to 1. */
  coefficients: number[];
  /** ||sum_i x_i p_i - p_target||_{L2}: bounds the error of each weight by residual * ||theta||_{L2[0, step]}. */
  residual: number;
  step: number;
  gamma: number;
}

/**
 * The least-squares combination of snapshot profiles closest to the target profile (EDM2, Algorithm 3), solved in
 * float64 through the eigendecomposition of the Gram matrix (directions below 1e-12 of the largest eigenvalue are
 * dropped, so near-duplicate snapshots do not blow the solve up).
 * @example const { coefficients } = posthocCoefficients(phema.snapshots, { std: 0.07, step: 1000 });
 */
export function posthocCoefficients(snapshots: { step: number; gamma: number }[], target: PosthocTarget): PosthocCoefficients {
  const fn = "posthocCoefficients";
  if (!Array.isArray(snapshots) || snapshots.length === 0) fail(fn, "snapshots", "must be a non-empty array of snapshots { step, gamma } (PowerEma.snapshots)");
  snapshots.forEach((s, i) => {
    checkPositiveInt(s?.step, `snapshots[${i}].step`, fn);
    checkNumber(s.gamma, `snapshots[${i}].gamma`, fn, { gt: -1 });
  });
  if (target === null || typeof target !== "object") fail(fn, "target", "must be an object { std } or { gamma }, with an optional step");
  if ((target.std === undefined) === (target.gamma === undefined)) fail(fn, "target", "must give exactly one of std and gamma");
  const gamma = target.gamma !== undefined ? checkNumber(target.gamma, "target.gamma", fn, { gt: -1 }) : stdToGamma(checkNumber(target.std, "target.std", fn, { gt: 0, max: MAX_EMA_STD }));
  const step = target.step === undefined ? snapshots[snapshots.length - 1].step : checkNumber(target.step, "target.step", fn, { gt: 0 });
  const m = snapshots.length;
  const A = snapshots.map((a) => snapshots.map((b) => profileInnerProduct(a.step, a.gamma, b.step, b.gamma)));
  const b = snapshots.map((a) => profileInnerProduct(a.step, a.gamma, step, gamma));
  const { values, vectors } = symmetricEigen(A);
  const cutoff = 1e-12 * Math.max(...values.map(Math.abs));
  const x = new Array(m).fill(0);
  values.forEach((lam, k) => {
    if (!(lam > cutoff)) return;
    let proj = 0;
    for (let i = 0; i < m; i++) proj += vectors[i][k] * b[i];
    for (let i = 0; i < m; i++) x[i] += (vectors[i][k] * proj) / lam;
  });
  const sum = x.reduce((p, q) => p + q, 0);
  if (!(Math.abs(sum) > 1e-12)) fail(fn, "target", `has a profile (step ${step}, gamma ${gamma}) the snapshots cannot represent (coefficients sum to ${sum})`);
  const coefficients = x.map((v) => v / sum);
  // ||p||^2 = x^T A x - 2 x^T b + <p_t, p_t>, clamped at 0 against rounding.
  let quad = 0, lin = 0;
  for (let i = 0; i < m; i++) { lin += coefficients[i] * b[i]; for (let j = 0; j < m; j++) quad += coefficients[i] * A[i][j] * coefficients[j]; }
  const residual = Math.sqrt(Math.max(0, quad - 2 * lin + profileInnerProduct(step, gamma, step, gamma)));
  return { coefficients, residual, step, gamma };
}

/**
 * Reconstructs the EMA of any length and step from stored snapshots (EDM2, Sec. 3.2): the weights
 * sum_i x_i snapshot_i with the coefficients of posthocCoefficients. The caller owns the returned weights.
 * @example const { weights, residual } = reconstructEma(phema.snapshots, { std: 0.07 }); model.ema = ...;
 */
export function reconstructEma(snapshots: EmaSnapshot[], target: PosthocTarget): PosthocCoefficients & { weights: tf.Tensor[] } {
  const fn = "reconstructEma";
  const c = posthocCoefficients(snapshots, target);
  const count = snapshots[0].weights?.length;
  snapshots.forEach((s, i) => {
    if (!Array.isArray(s.weights) || s.weights.length !== count || s.weights.some((w) => !(w instanceof tf.Tensor) || w.isDisposed)) fail(fn, `snapshots[${i}].weights`, `must be ${count} live tensors like snapshots[0].weights`);
  });
  const weights = tf.tidy(() => snapshots[0].weights.map((_, j) => tf.addN(snapshots.map((s, i) => tf.mul(s.weights[j], c.coefficients[i])))));
  return { ...c, weights };
}
