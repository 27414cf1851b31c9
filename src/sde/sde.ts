/**
 * The forward SDEs of Song et al. 2021 ("Score-Based Generative Modeling through Stochastic Differential
 * Equations", eqs. 25-29 and Appendix B): VP, sub-VP and VE. The SDE object owns all noise math (as score_sde's
 * sde_lib): marginals, drift, diffusion, prior. Formulas as in the table of PAPERS.md, with B(t) the schedule's
 * integral:
 *   VP:     a = e^{-B/2}, s^2 = 1 - e^{-B},      f = -beta x / 2, g^2 = beta
 *   sub-VP: a = e^{-B/2}, s = 1 - e^{-B},        f = -beta x / 2, g^2 = beta (1 - e^{-2B})
 *   VE:     a = 1,        s^2 = B(t),            f = 0,           g^2 = beta
 * For VE the schedule's beta is g^2 and B the added variance, so the geometric schedule gives
 * s^2 = sigma(t)^2 - sigmaMin^2 exactly (the law of x_t given x_0 started at t = 0).
 */
import * as tf from "@tensorflow/tfjs";
import { Rng, RowRng, checkNumber, checkTensor, fail } from "../tensor";
import { SDE_KIND_TABLE, SDE_KIND_NAMES } from "./kind-table";
import type { NoiseSchedule, SDE, SDEKind } from "./types";

export interface SDEOptions {
  /** Default: linear (0.1, 20) for VP and sub-VP, geometric (sigmaMin, sigmaMax) for VE. */
  schedule?: NoiseSchedule;
  /** End time (default 1). */
  T?: number;
  /** Smallest time used by samplers and likelihoods (default 1e-3 for VP and sub-VP, 1e-5 for VE). */
  tMin?: number;
  /** VE only, when no schedule is given (defaults 0.01 and 50). */
  sigmaMin?: number;
  sigmaMax?: number;
}


function isSchedule(s: unknown): s is NoiseSchedule {
  const o = s as NoiseSchedule;
  return !!o && typeof o === "object" && typeof o.beta === "function" && typeof o.integral === "function"
    && typeof o.betaT === "function" && typeof o.integralT === "function";
}

/** Reshapes a per-row vector [n] so that it broadcasts against x [n, ...]. */
function perRow(v: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.reshape(v, [x.shape[0], ...x.shape.slice(1).map(() => 1)]);
}

function checkRowTimes(t: tf.Tensor, fn: string): void {
  checkTensor(t, "t", fn);
  if (t.rank !== 1) fail(fn, "t", `must be a rank-1 tensor of times [n], got shape [${t.shape}]`);
}

function buildSDE(kind: SDEKind, opts: SDEOptions, fn: string): SDE {
  if (opts === null || typeof opts !== "object") fail(fn, "opts", "must be an options object");
  const spec = SDE_KIND_TABLE[kind];
  const T = checkNumber(opts.T ?? 1, "T", fn, { gt: 0 });
  const tMin = checkNumber(opts.tMin ?? spec.defaultTMin, "tMin", fn, { gt: 0 });
  if (!(tMin < T)) fail(fn, "tMin", `must be smaller than T = ${T}, got ${tMin}`);
  let schedule: NoiseSchedule;
  if (opts.schedule !== undefined) {
    if (!isSchedule(opts.schedule)) fail(fn, "schedule", "must be a NoiseSchedule (beta, integral, betaT, integralT)");
    if (spec.takesSigmas && (opts.sigmaMin !== undefined || opts.sigmaMax !== undefined)) {
      fail(fn, "sigmaMin", "and sigmaMax only apply without a schedule; give one or the other");
    }
    schedule = opts.schedule;
  } else {
    schedule = spec.defaultSchedule({ T, sigmaMin: opts.sigmaMin, sigmaMax: opts.sigmaMax }, fn);
  }
  const B = (t: number) => schedule.integral(t);
  // The marginal must be finite in float32 at both ends of the sampling interval (a VE variance B(T) past 3.4e38,
  // or a user schedule giving NaN, would make every marginal std and prior sample Infinity or NaN).
  for (const [t, arg] of [[tMin, "tMin"], [T, "T"]] as const) {
    const b = B(t);
    if (!(b >= 0) || (spec.varianceIsB && !Number.isFinite(Math.fround(b)))) {
      fail(fn, opts.schedule !== undefined ? "schedule" : arg, `gives a marginal variance B(${t}) = ${b} that is not a finite float32 number >= 0`);
    }
  }

  const marginalAt = (t: number) => spec.marginalOf(B(t));
  const driftCoefAt = (t: number) => spec.driftCoef(schedule.beta(t));
  const diffusionAt = (t: number) => Math.sqrt(spec.diffusionSq(schedule.beta(t), B(t)));
  const priorVar = spec.priorVar(B(T));

  const sde: SDE = {
    kind, T, tMin, schedule, priorVar,
    marginal(t) {
      checkRowTimes(t, "SDE.marginal");
      return tf.tidy(() => spec.marginalOfT(schedule.integralT(t)));
    },
    marginalAt,
    drift(x, t) {
      checkTensor(x, "x", "SDE.drift"); checkRowTimes(t, "SDE.drift");
      return tf.tidy(() => tf.mul(x, perRow(spec.driftCoefT(schedule.betaT(t)), x)));
    },
    diffusion(t) {
      checkRowTimes(t, "SDE.diffusion");
      return tf.tidy(() => tf.sqrt(spec.diffusionSqT(schedule.betaT(t), schedule.integralT(t))));
    },
    driftCoefAt,
    diffusionAt,
    prior(n, shape, rng) {
      const f = "SDE.prior";
      checkNumber(n, "n", f, { integer: true, min: 1 });
      if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) fail(f, "shape", `must be a non-empty array of positive integers, got ${JSON.stringify(shape)}`);
      if (!(rng instanceof Rng) && !(rng instanceof RowRng)) fail(f, "rng", "must be an Rng or a RowRng");
      return rng.normal([n, ...shape], 0, Math.sqrt(priorVar));
    },
    priorLogProb(x) {
      checkTensor(x, "x", "SDE.priorLogProb");
      if (x.rank < 2) fail("SDE.priorLogProb", "x", `must have a batch axis, shape [n, ...], got [${x.shape}]`);
      const d = x.size / x.shape[0];
      return tf.tidy(() => {
        const sq = tf.sum(tf.reshape(tf.square(x), [x.shape[0], d]), 1);
        return tf.sub(tf.mul(-0.5 / priorVar, sq), 0.5 * d * Math.log(2 * Math.PI * priorVar));
      });
    },
    describe() {
      return `${spec.label} SDE, schedule ${schedule.name}, t in [${tMin}, ${T}]`;
    },
  };
  return sde;
}

/**
 * Variance-preserving SDE dx = -beta(t) x / 2 dt + sqrt(beta(t)) dW (Song et al. 2021, eq. 11).
 * @example const sde = vpSDE(); sde.marginalAt(1).scale; // e^{-10.05/2}
 */
export function vpSDE(opts: SDEOptions = {}): SDE { return buildSDE("vp", opts, "vpSDE"); }

/**
 * Variance-exploding SDE dx = sqrt(d sigma^2/dt) dW (Song et al. 2021, eq. 9), geometric sigma by default.
 * @example const sde = veSDE({ sigmaMax: 25 }); sde.marginalAt(1).std; // about 25
 */
export function veSDE(opts: SDEOptions = {}): SDE { return buildSDE("ve", opts, "veSDE"); }

/**
 * Sub-VP SDE dx = -beta x / 2 dt + sqrt(beta (1 - e^{-2B(t)})) dW (Song et al. 2021, eq. 12).
 * @example const sde = subVpSDE({ schedule: cosineSchedule() });
 */
export function subVpSDE(opts: SDEOptions = {}): SDE { return buildSDE("subvp", opts, "subVpSDE"); }

/**
 * An SDE by kind name ("vp" | "ve" | "subvp"), for magics and configs.
 * @example const sde = makeSDE("ve", { sigmaMin: 0.01, sigmaMax: 50 });
 */
export function makeSDE(kind: SDEKind, opts: SDEOptions = {}): SDE {
  if (!SDE_KIND_NAMES.includes(kind)) fail("makeSDE", "kind", `must be one of ${SDE_KIND_NAMES.join(", ")}, got ${JSON.stringify(kind)}`);
  return buildSDE(kind, opts, "makeSDE");
}

/**
 * Whether a value looks like an SDE (used by argument validation).
 * @example isSDE(vpSDE()); // true
 */
export function isSDE(s: unknown): s is SDE {
  const o = s as SDE;
  return !!o && typeof o === "object" && SDE_KIND_NAMES.includes(o.kind) && typeof o.marginalAt === "function"
    && typeof o.driftCoefAt === "function" && typeof o.diffusionAt === "function" && typeof o.prior === "function";
}
